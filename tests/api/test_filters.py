"""Malformed list parameters get a 400 that names them; well-formed ones that match
nothing an empty list; odd but valid input never a 5xx."""

import pytest

from tests.factories import TopicFactory, published_article


@pytest.fixture
def article():
    return published_article(slug="her2", title="What is HER2?", topics=[TopicFactory(slug="t")])


@pytest.mark.parametrize(
    ("parameter", "listed_at"),
    [("topic", "topics"), ("author", "authors"), ("reviewer", "reviewers")],
)
def test_a_well_formed_slug_nothing_public_has_lists_nothing(api, article, parameter, listed_at):
    response = api.get("/api/v1/articles/", {parameter: "no-such-slug"})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


@pytest.mark.parametrize("parameter", ["topic", "author", "reviewer"])
def test_a_filter_whose_last_article_was_withdrawn_lists_nothing(api, article, parameter):
    slug = {"topic": "t", "author": article.author.slug, "reviewer": None}[parameter]
    slug = slug or article.medical_reviewer.slug
    assert api.get("/api/v1/articles/", {parameter: slug}).json()["count"] == 1

    article.unpublish()

    response = api.get("/api/v1/articles/", {parameter: slug})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_malformed_slug_says_where_the_slugs_are_listed(api, article):
    response = api.get("/api/v1/articles/", {"topic": "not a slug"})

    assert response.status_code == 400
    assert response.json() == {
        "topic": [
            "“not a slug” is not a slug: use one listed at /api/v1/topics/ "
            "(letters, digits, hyphens and underscores)."
        ]
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
        {"topic": "no pe", "author": "no/pe", "ordering": "nope", "search": "x" * 300},
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


def test_a_checked_combination_answers_the_same_when_it_comes_again(api, article):
    """Each process keeps the last parameter combinations it checked (`views._list_parameters`):
    a refusal comes again whole, and a valid value beside it is checked for itself."""
    asked = [
        {"topic": "not a slug"},
        {"topic": "t"},
        {"topic": "not a slug"},
        {"topic": "t", "ordering": "nope"},
        {"topic": "t"},
        {"topic": "t", "ordering": "title", "search": "HER2"},
    ]
    answers = [api.get("/api/v1/articles/", params) for params in asked]

    assert [response.status_code for response in answers] == [400, 200, 400, 400, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert list(answers[3].json()) == ["ordering"]
    assert answers[1].json() == answers[4].json()
    assert [item["slug"] for item in answers[5].json()["results"]] == ["her2"]
