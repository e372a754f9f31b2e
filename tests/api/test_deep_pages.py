"""Deep pages of the article list: numbered first, then continued from the last row."""

import datetime
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

    assert response.status_code == 400
    assert "follow the `next` link of page 2" in response.json()["page"][0]


def test_a_position_does_not_show_what_was_taken_down_since(api, site):
    _slugs, responses = walked(api, {})
    position = parse_qs(urlsplit(responses[1]["next"]).query)["after"][0]
    shown_next = [item["slug"] for item in responses[2]["results"]]
    selectors.article_documents().get(slug=shown_next[0]).article.unpublish()

    page = api.get("/api/v1/articles/", {"page_size": 2, "after": position}).json()

    assert shown_next[0] not in [item["slug"] for item in page["results"]]
    assert page["results"][0]["slug"] == shown_next[1]


@pytest.mark.parametrize(
    "after",
    ["nonsense", "", "x" * 700, lists.cursor_write(ordering="title", key=None, article_id=1)],
)
def test_a_position_this_api_did_not_give_is_a_400(api, site, after):
    response = api.get("/api/v1/articles/", {"ordering": "title", "after": after})

    assert response.status_code == 400
    assert response.json() == {"after": [lists.CURSOR_REFUSAL]}


def test_a_position_of_another_ordering_says_which(api, site):
    position = lists.cursor_write(ordering="title", key="Article 3", article_id=1)

    response = api.get("/api/v1/articles/", {"after": position})

    assert response.status_code == 400
    assert response.json() == {
        "after": ["This position is in the “title” ordering: send ordering=title."]
    }


def test_a_position_goes_with_neither_a_page_nor_a_search(api, site):
    position = lists.cursor_write(ordering="title", key="Article 3", article_id=1)

    with_page = api.get("/api/v1/articles/", {"ordering": "title", "after": position, "page": 1})
    with_search = api.get("/api/v1/articles/", {"after": position, "search": "article"})

    assert with_page.status_code == with_search.status_code == 400
    assert with_page.json() == {"after": ["Send `after` or `page`, not both."]}
    assert with_search.json() == {"after": ["A search's pages are numbered: use `page`."]}


def test_a_deep_page_is_two_queries(api, site, django_assert_num_queries):
    _slugs, responses = walked(api, {})
    position = parse_qs(urlsplit(responses[2]["next"]).query)["after"][0]

    with django_assert_num_queries(2):
        page = api.get("/api/v1/articles/", {"page_size": 2, "after": position}).json()

    assert len(page["results"]) == 2
