"""HTTP that caches well: ETag, 304, Cache-Control, Vary, tags, CORS, read-only methods."""

import hashlib

import pytest
from rest_framework.exceptions import Throttled
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from api.caching import PublicCacheMixin
from content_models.models import Author
from tests.factories import TopicFactory, published_article

PUBLIC_PATHS = [
    "/api/v1/",
    "/api/v1/articles/",
    "/api/v1/articles/her2/",
    "/api/v1/authors/",
    "/api/v1/reviewers/",
    "/api/v1/topics/",
]


@pytest.fixture
def article():
    return published_article(slug="her2", topics=[TopicFactory()])


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_responses_carry_a_content_etag_and_cache_control(api, article, path):
    response = api.get(path)

    assert response.status_code == 200
    assert response["ETag"] == f'"{hashlib.md5(response.content).hexdigest()}"'
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_if_none_match_with_the_etag_gives_304(api, article, path):
    etag = api.get(path)["ETag"]

    response = api.get(path, If_None_Match=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=60"


def test_weak_and_listed_etags_match_too(api, article):
    etag = api.get("/api/v1/articles/her2/")["ETag"]

    assert api.get("/api/v1/articles/her2/", If_None_Match=f"W/{etag}").status_code == 304
    assert api.get("/api/v1/articles/her2/", If_None_Match=f'"x", {etag}').status_code == 304


def test_a_changed_representation_gets_a_new_etag(api, article):
    etag = api.get("/api/v1/articles/her2/")["ETag"]
    author = Author.objects.get(pk=article.author_id)
    author.bio = "A new bio."
    author.save()

    response = api.get("/api/v1/articles/her2/", If_None_Match=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["author"]["bio"] == "A new bio."


def test_an_unpublished_article_leaves_the_list_despite_an_old_etag(api, article):
    other = published_article(slug="other")
    etag = api.get("/api/v1/articles/")["ETag"]
    other.unpublish()

    response = api.get("/api/v1/articles/", If_None_Match=etag)

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == ["her2"]


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "/articles/her2/", "/"])
def test_no_last_modified_that_could_stand_still_while_the_content_moves(client, article, path):
    # A list changes when an article leaves it, a detail when a bio is edited, and no
    # date in either moves: a cache revalidating by date would keep the stale copy.
    assert "Last-Modified" not in client.get(path)


def test_a_list_an_article_left_is_never_304_by_date(api, article):
    other = published_article(slug="other")
    before = api.get("/api/v1/articles/")
    other.unpublish()

    response = api.get("/api/v1/articles/", If_Modified_Since="Fri, 01 Jan 2100 00:00:00 GMT")

    assert before.json()["count"] == 2
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_bio_edit_is_never_304_by_date(api, article):
    api.get("/api/v1/articles/her2/")
    author = Author.objects.get(pk=article.author_id)
    author.bio = "Edited since."
    author.save()

    response = api.get("/api/v1/articles/her2/", If_Modified_Since="Fri, 01 Jan 2100 00:00:00 GMT")

    assert response.status_code == 200
    assert response.json()["author"]["bio"] == "Edited since."


def test_cache_lifetime_is_the_api_cache_seconds_option(api, article, settings):
    settings.VETTED = {**settings.VETTED, "API_CACHE_SECONDS": 300}

    assert api.get("/api/v1/articles/")["Cache-Control"] == "public, max-age=300"


def test_bad_input_is_cached_like_content(api, article):
    assert api.get("/api/v1/articles/", {"page": "x"})["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/articles/nope/", "/api/v1/topics/nope/", "/api/v1/authors/nope/", "/articles/nope/"],
)
def test_a_404_is_cached_only_briefly(client, article, path):
    # A slug nobody has today is an article published tomorrow: readers who asked
    # first must not keep the 404 for as long as content.
    response = client.get(path)

    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=5"


def test_how_briefly_a_404_is_cached_is_an_option(client, article, settings):
    settings.VETTED = {**settings.VETTED, "API_NOT_FOUND_CACHE_SECONDS": 2}

    assert client.get("/api/v1/articles/nope/")["Cache-Control"] == "public, max-age=2"


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "/api/v1/articles/nope/"])
def test_api_responses_vary_by_accept(client, article, path):
    # The same address answers 406 to an Accept it cannot serve: a shared cache must
    # not hand that to everyone, nor the JSON to the client it refused.
    response = client.get(path)

    assert "accept" in [name.strip().lower() for name in response["Vary"].split(",")]


def test_the_406_varies_by_accept_too(client, article):
    response = client.get("/api/v1/articles/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert "accept" in response["Vary"].lower()


def test_a_throttled_response_is_not_cached():
    class ThrottledView(PublicCacheMixin, APIView):
        def get(self, request):
            raise Throttled(wait=30)

    response = ThrottledView.as_view()(APIRequestFactory().get("/api/v1/articles/"))

    assert response.status_code == 429
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_head_has_the_headers_of_get(api, article):
    get = api.get("/api/v1/articles/her2/")
    head = api.head("/api/v1/articles/her2/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


def test_configured_frontend_origins_may_read(client, article):
    response = client.get("/api/v1/articles/", headers={"Origin": "https://frontend.example"})

    assert response["Access-Control-Allow-Origin"] == "https://frontend.example"
    assert "origin" in response["Vary"].lower()


def test_other_origins_get_no_cors_grant(client, article):
    response = client.get("/api/v1/articles/", headers={"Origin": "https://elsewhere.example"})

    assert "Access-Control-Allow-Origin" not in response


def test_cors_preflight_allows_reading_and_reader_reports_only(client):
    response = client.options(
        "/api/v1/articles/",
        headers={
            "Origin": "https://frontend.example",
            "Access-Control-Request-Method": "GET",
        },
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://frontend.example"
    methods = set(response["Access-Control-Allow-Methods"].split(", "))
    assert methods == {"GET", "HEAD", "OPTIONS", "POST"}
    # POST is for a reader's report (feedback/): everywhere else it writes nothing.
    for path in ("/api/v1/articles/", "/api/v1/reviewers/", "/api/v1/topics/"):
        assert (
            client.post(path, {}, headers={"Origin": "https://frontend.example"}).status_code
            == 405
        )


def test_a_browser_frontend_may_revalidate_with_if_none_match(client, article):
    preflight = client.options(
        "/api/v1/articles/her2/",
        headers={
            "Origin": "https://frontend.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    etag = client.get("/api/v1/articles/her2/", headers={"Origin": "https://frontend.example"})

    assert "if-none-match" in preflight["Access-Control-Allow-Headers"].split(", ")
    assert "ETag" in etag["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/her2/",
        "/api/v1/authors/",
        "/api/v1/reviewers/",
        "/api/v1/topics/",
        "/api/v1/preview/",
        "/api/v1/schema/",
    ],
)
def test_writes_are_refused_with_json_405(client, article, method, path):
    response = getattr(client, method)(path, data={}, content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}


def test_a_detail_is_the_same_response_with_the_response_cache_off_and_on(
    client, article, settings, request
):
    """The detail is answered before DRF's machinery on both paths (`ArticleViewSet.dispatch`):
    the document as stored, with every header DRF's path sent, and 304 on its ETag."""
    path = "/api/v1/articles/her2/"
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": False}
    uncached = client.get(path)
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=uncached["ETag"])
    request.getfixturevalue("shared_cache")
    kept = client.get(path)
    served_from_cache = client.get(path)

    assert uncached.status_code == 200
    assert uncached.content == article.delivery_document.detail.encode()
    for response in (kept, served_from_cache):
        assert response.content == uncached.content
        assert dict(response.headers) == dict(uncached.headers)
    assert uncached["Allow"] == "GET, HEAD, OPTIONS"
    assert uncached["Vary"] == "Accept, origin"
    assert {"article-slug-her2", f"article-{article.pk}", "vetted"} == set(
        uncached["xkey"].split()
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""
