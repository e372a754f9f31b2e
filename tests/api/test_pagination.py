from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import TopicFactory, published_article


@pytest.fixture
def five_articles():
    for number in range(5):
        published_article(slug=f"article-{number}", topics=[TopicFactory()])


def query(link):
    return parse_qs(urlsplit(link).query)


def test_envelope_and_default_page_size(api):
    for number in range(21):
        published_article(slug=f"article-{number}")

    page = api.get("/api/v1/articles/").json()

    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 21
    assert len(page["results"]) == 20
    assert page["next"] == "/api/v1/articles/?page=2"
    assert page["previous"] is None


def test_pages_link_to_each_other_and_keep_the_query(api, five_articles):
    page = api.get("/api/v1/articles/", {"page_size": 2, "page": 2, "ordering": "title"}).json()

    assert len(page["results"]) == 2
    assert page["next"].startswith("/api/v1/articles/?")
    assert page["previous"].startswith("/api/v1/articles/?")
    assert query(page["next"]) == {"page": ["3"], "page_size": ["2"], "ordering": ["title"]}
    assert query(page["previous"]) == {"page_size": ["2"], "ordering": ["title"]}


def test_following_next_from_the_first_page_reaches_every_article(api, five_articles):
    page = api.get("/api/v1/articles/", {"page_size": 2}).json()
    slugs = [item["slug"] for item in page["results"]]
    while page["next"]:
        # A path on the host the client asked: the same wherever the API is served.
        assert page["next"].startswith("/api/v1/articles/?")
        page = api.get(page["next"]).json()
        slugs += [item["slug"] for item in page["results"]]

    assert sorted(slugs) == [f"article-{number}" for number in range(5)]


def test_last_page(api, five_articles):
    page = api.get("/api/v1/articles/", {"page_size": 2, "page": 3}).json()

    assert len(page["results"]) == 1
    assert page["next"] is None


@pytest.mark.parametrize("page_size", ["1", "100"])
def test_page_size_bounds_are_accepted(api, five_articles, page_size):
    response = api.get("/api/v1/articles/", {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(int(page_size), 5)


def test_an_empty_list_has_a_first_page(api):
    response = api.get("/api/v1/articles/")

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Must be a whole number from 1 to 100; got “0”."),
        ("1000", "Must be a whole number from 1 to 100; got “1000”."),
        ("abc", "Must be a whole number from 1 to 100; got “abc”."),
        ("-3", "Must be a whole number from 1 to 100; got “-3”."),
        ("2.5", "Must be a whole number from 1 to 100; got “2.5”."),
        ("", "Must be a whole number from 1 to 100; got “”."),
    ],
)
def test_bad_page_size_is_a_400_naming_it(api, five_articles, value, message):
    response = api.get("/api/v1/articles/", {"page_size": value})

    assert response.status_code == 400
    assert response.json() == {"page_size": [message]}


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "1e3", "9" * 5000])
def test_bad_page_is_a_400_naming_it(api, five_articles, value):
    response = api.get("/api/v1/articles/", {"page": value})

    assert response.status_code == 400
    assert list(response.json()) == ["page"]
    assert response.json()["page"][0].startswith("Must be a whole number from 1; got “")


def test_page_beyond_the_last_is_a_404_saying_which_is_last(api, five_articles):
    response = api.get("/api/v1/articles/", {"page": 4, "page_size": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Page 4 does not exist: the last page is 3."}


@pytest.mark.parametrize("path", ["/api/v1/authors/", "/api/v1/reviewers/", "/api/v1/topics/"])
def test_every_list_paginates_the_same_way(api, five_articles, path):
    assert api.get(path, {"page_size": 0}).status_code == 400
    assert api.get(path, {"page": 9}).status_code == 404
    page = api.get(path, {"page_size": 2}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert len(page["results"]) == 2
