"""Bad list parameters get a 400 that names them; odd but valid input never a 5xx."""

import pytest

from tests.factories import TopicFactory, published_article


@pytest.fixture
def article():
    return published_article(slug="her2", title="What is HER2?", topics=[TopicFactory(slug="t")])


@pytest.mark.parametrize(
    ("parameter", "listed_at"),
    [("topic", "topics"), ("author", "authors"), ("reviewer", "reviewers")],
)
def test_unknown_slug_filter_is_a_400_pointing_at_the_list(api, article, parameter, listed_at):
    response = api.get("/api/v1/articles/", {parameter: "no-such-slug"})

    assert response.status_code == 400
    assert response.json() == {
        parameter: [f"“no-such-slug” is not one of the slugs listed at /api/v1/{listed_at}/."]
    }


@pytest.mark.parametrize("value", ["not a slug", "x\x00y", "ümlaut", "a/b", "s" * 5000, "'; --"])
@pytest.mark.parametrize("parameter", ["topic", "author", "reviewer"])
def test_malformed_slug_filter_is_a_400(api, article, parameter, value):
    response = api.get("/api/v1/articles/", {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert len(response.json()[parameter][0]) < 200


def test_unknown_ordering_is_a_400_listing_the_choices(api, article):
    response = api.get("/api/v1/articles/", {"ordering": "reviewed_at"})

    assert response.status_code == 400
    assert response.json() == {
        "ordering": [
            "Unknown ordering “reviewed_at”: use one of -published_at, published_at, title, "
            "-title, -reviewed_at."
        ]
    }


def test_search_longer_than_200_characters_is_a_400(api, article):
    assert api.get("/api/v1/articles/", {"search": "a" * 200}).status_code == 200

    response = api.get("/api/v1/articles/", {"search": "a" * 201})

    assert response.status_code == 400
    assert response.json() == {
        "search": ["Ensure this value has at most 200 characters (it has 201)."]
    }


def test_search_with_a_null_character_is_a_400(api, article):
    response = api.get("/api/v1/articles/", {"search": "her2\x00"})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]


@pytest.mark.parametrize(
    "text",
    [
        "'",
        '"',
        '"unbalanced',
        "&",
        "|",
        "!",
        ":*",
        "()",
        "(",
        "\\",
        "%",
        "_",
        "*",
        "-",
        "NOT",
        "OR AND",
        "a & b | !c",
        "her2:*",
        "😀",
        "的",
        "<script>",
        "the",
        "a" * 200,
    ],
)
def test_odd_search_text_never_fails(api, article, text):
    response = api.get("/api/v1/articles/", {"search": text})

    assert response.status_code == 200


def test_every_bad_filter_is_reported_at_once(api, article):
    response = api.get(
        "/api/v1/articles/",
        {"topic": "nope", "author": "nope", "ordering": "nope", "search": "x" * 300},
    )

    assert response.status_code == 400
    assert set(response.json()) == {"topic", "author", "ordering", "search"}


def test_detail_ignores_list_parameters(api, article):
    response = api.get("/api/v1/articles/her2/", {"topic": "nope", "ordering": "nope"})

    assert response.status_code == 200


def test_quoted_words_are_a_phrase(api, article):
    published_article(slug="other", title="Growth receptor myths", body=[])

    response = api.get("/api/v1/articles/", {"search": '"growth receptor found"'})

    assert [item["slug"] for item in response.json()["results"]] == ["her2"]
