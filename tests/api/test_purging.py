"""A change purges exactly what shows it, after it commits, and again until the CDN accepts.

A CDN here is a real HTTP server on loopback that records each purge request
(method, path, headers, body) and answers with the statuses it is told to.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from api import cache_tags, response_cache, tasks
from content_models.models import ArticlePage, Author
from tests.factories import TopicFactory, approve_revision, published_article


class Cdn:
    """A recording purge endpoint. `statuses` are answered in turn, then 200."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.seen_live = []  # for each purge: whether the article was still live then
        self.watch = None
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                cdn.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                if cdn.watch is not None:
                    cdn.seen_live.append(cdn.watch())
                status = cdn.statuses.pop(0) if cdn.statuses else 200
                payload = json.dumps({"success": status == 200}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_PURGE = do_POST = _answer  # noqa: N815

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.port = 0
        self.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        """Listen (again, on the same port once it has one)."""
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        """Stop listening: a purge now finds nobody at the address."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def purged_tags(self):
        """Every tag purged, over all requests."""
        tags = set()
        for request in self.requests:
            tags |= set(request["headers"].get("xkey-purge", "").split())
        return tags


@pytest.fixture
def cdn():
    cdn = Cdn()
    yield cdn
    cdn.stop()


@pytest.fixture
def varnish(cdn, settings):
    settings.VETTED = {
        **settings.VETTED,
        "CACHE_PURGE_BACKENDS": {
            "varnish": {"BACKEND": "api.purging.VarnishXkeyBackend", "LOCATION": cdn.url}
        },
    }
    return cdn


def tags_of(response):
    return set(response["xkey"].split())


@pytest.fixture
def her2():
    return published_article(slug="her2", title="What is HER2?", topics=[TopicFactory(slug="t")])


# What each response names.


def test_the_api_detail_names_its_article_and_slug(client, her2):
    response = client.get("/api/v1/articles/her2/")

    assert tags_of(response) == {"vetted", f"article-{her2.pk}", "article-slug-her2"}
    assert response["Surrogate-Key"] == response["xkey"]
    assert set(response["Cache-Tag"].split(",")) == tags_of(response)


def test_a_list_names_itself_and_each_article_it_shows(client, her2):
    other = published_article(slug="other")

    response = client.get("/api/v1/articles/", {"page_size": 1})

    assert tags_of(response) == {"vetted", "articles", f"article-{other.pk}"}


def test_a_404_names_the_slug_it_was_asked_for(client, her2):
    response = client.get("/api/v1/articles/not-yet/")

    assert response.status_code == 404
    assert "article-slug-not-yet" in tags_of(response)


def test_people_and_topics_name_themselves(client, her2):
    author = client.get(f"/api/v1/authors/{her2.author.slug}/")
    topics = client.get("/api/v1/topics/")

    assert f"author-{her2.author_id}" in tags_of(author)
    assert "topics" in tags_of(topics)


def test_a_frontend_page_names_what_every_api_response_it_read_showed(client, her2):
    page = client.get("/articles/her2/")

    # The article, and the "recent articles" list beside it.
    assert {f"article-{her2.pk}", "article-slug-her2", "articles"} <= tags_of(page)


def test_a_frontend_404_names_the_slug_so_it_goes_when_the_article_appears(client, her2):
    page = client.get("/articles/not-yet/")

    assert page.status_code == 404
    assert "article-slug-not-yet" in tags_of(page)


def test_a_frontend_error_page_is_never_cached(client, her2, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("api.selectors.article_detail_row", broken)

    page = client.get("/articles/her2/")

    assert page.status_code == 502
    assert "no-store" in page["Cache-Control"]
    assert "xkey" not in page


# What each change purges.


def test_a_takedown_purges_the_article_and_every_list_after_commit(
    varnish, her2, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        her2.unpublish()
    assert varnish.requests == []  # nothing before the commit

    for callback in pending:
        callback()

    purged = varnish.purged_tags()
    assert {f"article-{her2.pk}", "article-slug-her2", "articles", "topics"} <= purged
    assert varnish.requests[0]["method"] == "PURGE"


def test_a_bio_edit_purges_the_articles_that_show_it_and_not_the_others(
    varnish, her2, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # its purge sent, as on commit
        other = published_article(slug="other")
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        author = Author.objects.get(pk=her2.author_id)
        author.bio = "Now at another hospital."
        author.save()

    purged = varnish.purged_tags()
    assert {f"article-{her2.pk}", f"author-{her2.author_id}", "authors"} <= purged
    assert f"article-{other.pk}" not in purged
    # The lists show no bio: they stay.
    assert "articles" not in purged


def test_an_approved_edit_purges_what_shows_the_article(
    varnish, her2, django_capture_on_commit_callbacks
):
    draft = her2.get_latest_revision_as_object()
    draft.title = "What HER2 means"
    revision = draft.save_revision()
    approve_revision(her2, revision=revision)
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()

    assert {f"article-{her2.pk}", "articles"} <= varnish.purged_tags()


def test_publishing_purges_the_404_of_its_slug(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published_article(slug="new-guidance")

    assert "article-slug-new-guidance" in varnish.purged_tags()


def test_one_transaction_sends_one_purge(varnish, her2, django_capture_on_commit_callbacks):
    other = published_article(slug="other")
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()
        other.unpublish()

    assert len(varnish.requests) == 1
    assert {f"article-{her2.pk}", f"article-{other.pk}"} <= varnish.purged_tags()


# Serialized rollback, as the other tests that commit: it leaves the database as
# they expect to find it (and restores what migrations created, such as the Site).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_purge_reaches_the_cdn_only_once_the_takedown_is_visible_to_readers(varnish):
    article = published_article(slug="her2")
    varnish.requests.clear()

    def live_as_another_connection_sees_it():
        # The CDN refetches as soon as it is purged: on another connection.
        result = []

        def read():
            try:
                result.append(ArticlePage.objects.filter(pk=article.pk, live=True).exists())
            finally:
                connection.close()  # the thread's own: left open, it outlives the test

        reader = threading.Thread(target=read)
        reader.start()
        reader.join()
        return result[0]

    varnish.watch = live_as_another_connection_sees_it
    with transaction.atomic():
        ArticlePage.objects.get(pk=article.pk).unpublish()
        assert varnish.requests == []

    assert varnish.seen_live == [False]


# The purge is retried until the CDN accepts it.


@pytest.fixture
def no_retry_delay(monkeypatch):
    monkeypatch.setattr(tasks, "RETRY_FIRST_SECONDS", 0)


def test_a_purge_the_cdn_refuses_is_retried_until_it_is_accepted(
    varnish, her2, durable_tasks, no_retry_delay, django_capture_on_commit_callbacks
):
    varnish.statuses = [503, 503]  # Varnish restarting, twice

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()
    assert varnish.requests == []  # enqueued: the worker sends it
    durable_tasks.run()

    attempts = [request for request in varnish.requests if request["method"] == "PURGE"]
    assert len(attempts) == 3
    assert all(f"article-{her2.pk}" in a["headers"]["xkey-purge"].split() for a in attempts)
    purges = DBTaskResult.objects.filter(task_path="api.tasks.cache_purge")
    assert list(purges.values_list("status", flat=True)) == ["SUCCESSFUL"] * 3


def test_a_purge_while_the_cdn_is_down_is_delivered_when_it_is_back(
    varnish, her2, durable_tasks, no_retry_delay, django_capture_on_commit_callbacks
):
    varnish.stop()

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()
    durable_tasks.run(max_tasks=6)
    assert varnish.requests == []
    purges = DBTaskResult.objects.filter(task_path="api.tasks.cache_purge")
    assert purges.filter(status="SUCCESSFUL").count() >= 1  # attempts made, each failed…
    assert purges.filter(status="READY").count() == 1  # …and enqueued the next

    varnish.start()
    durable_tasks.run()

    assert f"article-{her2.pk}" in varnish.purged_tags()
    assert not purges.filter(status="READY").exists()


# Each CDN's own purge request.


def test_without_a_cdn_a_change_leaves_the_worker_nothing_to_do(
    her2, durable_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    assert not DBTaskResult.objects.filter(task_path="api.tasks.cache_purge").exists()


def test_fastly_is_purged_by_surrogate_key(
    cdn, settings, her2, django_capture_on_commit_callbacks
):
    settings.VETTED = {
        **settings.VETTED,
        "CACHE_PURGE_BACKENDS": {
            "fastly": {
                "BACKEND": "api.purging.FastlyBackend",
                "SERVICE_ID": "svc123",
                "API_TOKEN": "fastly-token",
                "API_URL": cdn.url,
            }
        },
    }

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    (request,) = cdn.requests
    assert (request["method"], request["path"]) == ("POST", "/service/svc123/purge")
    assert request["headers"]["fastly-key"] == "fastly-token"
    assert f"article-{her2.pk}" in request["headers"]["surrogate-key"].split()


def test_cloudflare_is_purged_by_cache_tag(
    cdn, settings, her2, django_capture_on_commit_callbacks
):
    settings.VETTED = {
        **settings.VETTED,
        "CACHE_PURGE_BACKENDS": {
            "cloudflare": {
                "BACKEND": "api.purging.CloudflareBackend",
                "ZONE_ID": "zone9",
                "API_TOKEN": "cf-token",
                "API_URL": cdn.url,
            }
        },
    }

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    (request,) = cdn.requests
    assert (request["method"], request["path"]) == ("POST", "/zones/zone9/purge_cache")
    assert request["headers"]["authorization"] == "Bearer cf-token"
    assert f"article-{her2.pk}" in json.loads(request["body"])["tags"]


def test_url_purges_carry_the_public_host_not_the_site_s(
    cdn, settings, her2, django_capture_on_commit_callbacks
):
    # The demo's Site is "localhost"; readers come to health.example.org.
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": cdn.url,
        }
    }
    settings.VETTED = {**settings.VETTED, "PUBLIC_BASE_URL": "https://health.example.org"}

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    purged = {(r["headers"]["host"], r["path"]) for r in cdn.requests if r["method"] == "PURGE"}
    assert ("health.example.org", "/articles/her2/") in purged
    assert ("health.example.org", "/api/v1/articles/her2/") in purged
    assert ("health.example.org", "/api/v1/articles/") in purged
    assert not any(host.startswith("localhost") for host, _path in purged)


def test_a_cdn_that_refuses_a_purge_does_not_fail_the_takedown(
    varnish, her2, django_capture_on_commit_callbacks
):
    varnish.statuses = [500]

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    assert not ArticlePage.objects.get(pk=her2.pk).live
    assert len(varnish.requests) == 1


# The response cache drops what changed, and only that.


def test_a_publish_keeps_every_other_article_cached(
    client,
    shared_cache,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    # Both are published (and their commits purged) before anything is cached.
    with django_capture_on_commit_callbacks(execute=True):
        her2 = published_article(slug="her2", title="HER2")
        published_article(slug="other", title="Other")
    assert client.get("/api/v1/articles/other/").status_code == 200  # now cached
    assert client.get("/api/v1/articles/her2/").status_code == 200

    draft = her2.get_latest_revision_as_object()
    draft.title = "What HER2 means"
    revision = draft.save_revision()
    approve_revision(her2, revision=revision)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()

    # The other article is still answered from the cache, without the database…
    with django_assert_num_queries(0):
        assert client.get("/api/v1/articles/other/").json()["title"] == "Other"
    # …and the one that changed is served anew.
    assert client.get("/api/v1/articles/her2/").json()["title"] == "What HER2 means"


def test_a_response_built_from_before_a_change_is_never_kept_after_it(client, shared_cache, her2):

    request = RequestFactory().get("/api/v1/articles/her2/")
    lookup = response_cache.lookup(request)  # a request begins before the change…
    response_cache.tags_invalidate([cache_tags.article(her2.pk)])  # …which commits…
    lookup.keep(
        content=b'{"title": "stale"}', tags={cache_tags.article(her2.pk)}
    )  # …then it stores

    response_cache.near_forget()
    assert response_cache.lookup(request).hit is None


def test_a_redis_that_evicted_the_sequence_still_never_serves_a_stale_response(
    client, shared_cache, her2, django_capture_on_commit_callbacks
):
    from django_redis import get_redis_connection

    for _ in range(3):  # other articles change…
        response_cache.tags_invalidate([cache_tags.article(0)])
    response_cache.near_forget()
    assert client.get("/api/v1/articles/her2/").status_code == 200  # …then this is cached
    # Redis under memory pressure drops the sequence number, keeping the response.
    redis = get_redis_connection("default")
    redis.delete(caches["default"].make_key(response_cache.SEQUENCE_KEY))

    with django_capture_on_commit_callbacks(execute=True):
        her2.unpublish()

    response_cache.near_forget()
    assert client.get("/api/v1/articles/her2/").status_code == 404
