"""Deep pages of the article list: numbered first, then continued from the last row."""

import base64
import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from api import lists, pagination, selectors
from tests.api.helpers import approved_at
from tests.factories import TopicFactory, published_article

BASE = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def site(db, monkeypatch):
    """Nine public articles (two share a title and a moment), and page numbers that stop
    at the first 4 results, so that the list continues from its last row after page 2."""
    monkeypatch.setattr(pagination, "PAGE_ROWS_LIMIT", 4)
    topic = TopicFactory(slug="kidneys")
    for number in range(9):
        moment = BASE + datetime.timedelta(days=min(number, 7))
        title = "Same title" if number in (7, 8) else f"Article {number}"
        approved_at(moment, slug=f"article-{number}", title=title, topics=[topic])
    published_article(slug="elsewhere", title="Elsewhere")
    return topic


def walked(api, params):
    """Every page from the first, following `next` links; the slugs and the responses."""
    responses = [api.get("/api/v1/articles/", {"page_size": 2, **params}).json()]
    while responses[-1]["next"]:
        query = parse_qs(urlsplit(responses[-1]["next"]).query)
        responses.append(api.get("/api/v1/articles/", {k: v[0] for k, v in query.items()}).json())
        assert len(responses) < 20
    return [item["slug"] for page in responses for item in page["results"]], responses


@pytest.mark.parametrize("ordering", list(selectors.ARTICLE_ORDERINGS))
def test_following_next_walks_every_article_once_in_order(api, site, ordering):
    expected = list(
        selectors.articles_ordered(
            queryset=selectors.article_documents().filter(topics=site), ordering=ordering
        ).values_list("slug", flat=True)
    )

    slugs, responses = walked(api, {"topic": "kidneys", "ordering": ordering})

    assert slugs == expected
    assert {page["count"] for page in responses} == {9}
    # Numbered pages first, then positions: the third page on has no number to go back to.
    assert "page=2" in responses[0]["next"] and "after=" in responses[1]["next"]
    assert [page["previous"] is None for page in responses[2:]] == [True] * 3


def test_page_numbers_stop_where_the_list_continues_by_position(api, site):
    response = api.get("/api/v1/articles/", {"page_size": 2, "page": 3})

    assert response.status_code == 404
    assert "follow the `next` link of page 2" in response.json()["detail"]


def test_a_position_does_not_show_what_was_taken_down_since(api, site):
    _slugs, responses = walked(api, {})
    position = parse_qs(urlsplit(responses[1]["next"]).query)["after"][0]
    shown_next = [item["slug"] for item in responses[2]["results"]]
    selectors.article_documents().get(slug=shown_next[0]).article.unpublish()

    page = api.get("/api/v1/articles/", {"page_size": 2, "after": position}).json()

    assert shown_next[0] not in [item["slug"] for item in page["results"]]
    assert page["results"][0]["slug"] == shown_next[1]


def encoded(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        "nonsense",
        "",
        "x" * 700,
        "%%%",
        lists.cursor_write(ordering="title", key=None, article_id=1),
        # Well-formed JSON that is not a position: each must be refused, never reach SQL.
        encoded({"ordering": "title"}),
        encoded(["title", "Article 3"]),
        encoded(["title", "Article 3", 2**70]),
        encoded(["title", "Article 3", True]),
        encoded(["title", "Article 3", 1.5]),
        encoded(["title", ["nested"], 1]),
        encoded(["title", "x" * 300, 1]),
        encoded(["-published_at", "2026-03-01T09:00:00", 1]),
        encoded(["-published_at", "yesterday", 1]),
        encoded(["nope", "Article 3", 1]),
    ],
)
def test_a_position_this_api_did_not_give_is_a_404_that_says_so(client, site, after):
    # Not through the schema-checked client: some of these break the schema's pattern.
    response = client.get("/api/v1/articles/", {"ordering": "title", "after": after})

    assert response.status_code == 404
    assert response.json() == {"detail": lists.CURSOR_REFUSAL}


def test_a_position_of_another_ordering_says_which(api, site):
    position = lists.cursor_write(ordering="title", key="Article 3", article_id=1)

    response = api.get("/api/v1/articles/", {"after": position})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "This position is in the “title” ordering: send ordering=title."
    }


def test_pages_count_on_from_a_position(api, site):
    position = lists.cursor_write(ordering="title", key="Article 3", article_id=10**6)
    params = {"ordering": "title", "page_size": 2, "after": position}

    first = api.get("/api/v1/articles/", params).json()
    second = api.get("/api/v1/articles/", {**params, "page": 2}).json()

    assert [item["slug"] for item in first["results"] + second["results"]] == [
        "article-4",
        "article-5",
        "article-6",
        "elsewhere",
    ]


def test_a_search_continues_from_a_position_too(api, site):
    position = lists.cursor_write(ordering="title", key="Article 3", article_id=10**6)

    page = api.get(
        "/api/v1/articles/",
        {"ordering": "title", "page_size": 2, "after": position, "search": "title"},
    ).json()

    assert [item["slug"] for item in page["results"]] == ["article-7", "article-8"]
    assert page["count"] == 2


def test_a_deep_page_is_two_queries(api, site, django_assert_num_queries):
    _slugs, responses = walked(api, {})
    position = parse_qs(urlsplit(responses[2]["next"]).query)["after"][0]

    with django_assert_num_queries(2):
        page = api.get("/api/v1/articles/", {"page_size": 2, "after": position}).json()

    assert len(page["results"]) == 2
