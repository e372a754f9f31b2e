"""Each process serves what it served a moment ago from memory, and no longer.

App servers share whole responses in Redis (`api.response_cache`); each also
keeps its own copies, trusting the sequence number it read for NEAR_SECONDS. These
tests pin what that may and may not cost readers: another process's change
arrives within NEAR_SECONDS, the committing process serves it at once, the rate
limit still holds, and the memory it takes is bounded.
"""

import threading

import pytest
from django.core.cache import caches

from api import cache_tags, response_cache
from tests.factories import approve_revision, published_article


@pytest.fixture
def rate(settings):
    """Set the anonymous rate (inside the dict DRF's throttles read, then restored)."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    original = rates["anon"]

    def set_rate(value):
        rates["anon"] = value

    yield set_rate
    rates["anon"] = original


def title(client, slug):
    response = client.get(f"/api/v1/articles/{slug}/")
    assert response.status_code == 200
    return response.json()["title"]


def retitle_elsewhere(article, new_title):
    """Publish a new title as another app server would: its transaction writes the
    document, and its commit invalidates the article's tags in the shared cache. (In
    a test nothing commits, so this process never hears of it but through the cache.)"""
    draft = article.get_latest_revision_as_object()
    draft.title = new_title
    revision = draft.save_revision()
    approve_revision(article, revision=revision)
    revision.publish()
    here = response_cache._near
    try:
        elsewhere = response_cache.NearCache()
        response_cache._near = lambda: elsewhere
        response_cache.tags_invalidate([cache_tags.article(article.pk)])
    finally:
        response_cache._near = here


def test_another_process_s_change_is_served_within_near_seconds(client, shared_cache, clock):
    article = published_article(slug="her2", title="What is HER2?")
    assert title(client, "her2") == "What is HER2?"

    retitle_elsewhere(article, "What HER2 means")

    # Inside the moment this process trusts what it read, it answers from memory…
    clock.advance(response_cache.NEAR_SECONDS / 2)
    assert title(client, "her2") == "What is HER2?"
    # …and never after it.
    clock.advance(response_cache.NEAR_SECONDS / 2 + 0.001)
    assert title(client, "her2") == "What HER2 means"


def test_the_process_that_commits_a_change_serves_it_at_once(
    client, shared_cache, clock, django_capture_on_commit_callbacks
):
    article = published_article(slug="her2", title="What is HER2?")
    assert title(client, "her2") == "What is HER2?"
    assert client.get("/api/v1/articles/").json()["results"][0]["title"] == "What is HER2?"

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    missing = client.get("/api/v1/articles/her2/")
    assert missing.status_code == 404
    assert client.get("/api/v1/articles/").json()["results"] == []


def test_responses_from_memory_carry_the_headers_of_the_first(client, shared_cache, clock):
    published_article(slug="her2")
    first = client.get("/api/v1/articles/her2/")  # built from the document
    clock.advance(response_cache.NEAR_SECONDS)
    from_redis = client.get("/api/v1/articles/her2/")
    from_memory = client.get("/api/v1/articles/her2/")

    headers = ("Content-Type", "ETag", "Cache-Control", "Allow", "Vary", "xkey", "Cache-Tag")
    for response in (from_redis, from_memory):
        assert response.content == first.content
        assert {name: response.get(name) for name in headers} == {
            name: first.get(name) for name in headers
        }
    not_modified = client.get("/api/v1/articles/her2/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304


def test_in_one_process_the_rate_limit_is_exact(client, shared_cache, clock, rate):
    """Requests answered from memory are counted there, and a client near its limit is
    counted in Redis with every request, so one process stops it exactly at the limit."""
    published_article(slug="her2")
    rate("100/min")

    codes = [client.get("/api/v1/articles/her2/").status_code for _ in range(101)]

    assert codes == [200] * 100 + [429]


def test_across_processes_a_client_gets_at_most_an_eighth_more_than_its_limit(
    client, shared_cache, clock, rate
):
    """Another thread has a cache connection, and so a memory, of its own: it stands for
    another app server. Whatever one counted in memory reaches Redis with the client's
    next request there; the other never lets the client past the limit plus what the
    first may still hold (at most 1/LOCAL_SHARE of the allowance)."""
    published_article(slug="her2")
    rate("100/min")
    # The first is kept in Redis, where the other process finds it.
    served_here = sum(client.get("/api/v1/articles/her2/").status_code == 200 for _ in range(60))
    codes_there = []

    def other_process():
        # Served from Redis: a cached response needs no database.
        codes_there.extend(client.get("/api/v1/articles/her2/").status_code for _ in range(80))
        caches["default"].close()

    other = threading.Thread(target=other_process)
    other.start()
    other.join()

    served_there = codes_there.count(200)
    assert served_here == 60
    assert 100 - 60 <= served_there <= 100 - 60 + 100 // response_cache.LOCAL_SHARE
    assert codes_there[served_there:] == [429] * (80 - served_there)


def test_each_process_keeps_a_bounded_number_of_bytes(monkeypatch):
    monkeypatch.setattr(response_cache, "NEAR_BYTES", 10_000)
    near = response_cache.NearCache()
    near.sequence_read(1, 0.0)
    for number in range(20):
        near.keep(f"article-{number}", 1, response_cache.Hit(b"x" * 1000, '"e"', ["vetted"]))
        near.response("article-0", 1)  # the most used stays

    assert near.size <= 10_000
    assert near.response("article-0", 1) is not None
    assert near.response("article-1", 1) is None
    assert near.response("article-19", 1) is not None

    near.sequence_read(2, 1.0)
    assert near.size == 0
    assert near.response("article-19", 1) is None


def test_a_client_that_cannot_take_json_gets_406_whether_or_not_it_is_cached(client, shared_cache):
    published_article(slug="her2")
    assert client.get("/api/v1/articles/her2/").status_code == 200  # now cached

    refused = client.get("/api/v1/articles/her2/", HTTP_ACCEPT="application/xml")
    browser = client.get("/api/v1/articles/her2/", HTTP_ACCEPT="text/html,*/*;q=0.8")

    assert refused.status_code == 406
    assert "Ask for application/json" in refused.json()["detail"]
    assert browser.status_code == 200
    assert browser["Content-Type"] == "application/json"


def test_a_cached_list_s_links_do_not_carry_the_first_requester_s_host(
    client, shared_cache, clock, settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["localhost", "cms.example.org"]
    for number in range(3):
        published_article(slug=f"article-{number}")
    path = "/api/v1/articles/?page=2&page_size=1"

    first = client.get(path, HTTP_HOST="localhost", secure=False)
    with django_assert_num_queries(0):  # answered from the cache the first one filled
        second = client.get(path, HTTP_HOST="cms.example.org", secure=True)

    assert second.content == first.content
    links = {name: second.json()[name] for name in ("next", "previous")}
    assert links == {
        "next": "/api/v1/articles/?page=3&page_size=1",
        "previous": "/api/v1/articles/?page_size=1",
    }
