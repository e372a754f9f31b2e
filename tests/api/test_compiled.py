"""Read queries compiled once per connection (`api.compiled`), and the detail that uses one."""

import datetime
import json

import pytest

from api import selectors
from api.compiled import CompiledQuery
from api.models import ArticleDocument
from tests.factories import article_draft, published_article


def test_the_detail_row_is_the_public_document_of_the_slug(db):
    article = published_article(slug="her2", title="HER2 testing")
    article_draft(slug="draft")

    detail, pk, next_review_due = selectors.article_detail_row(slug="her2")

    assert (json.loads(detail)["title"], pk) == ("HER2 testing", article.pk)
    # A date, as the ORM gives it, on SQLite too (which stores text).
    assert isinstance(next_review_due, datetime.date)
    assert selectors.article_detail_row(slug="draft") is None
    assert selectors.article_detail_row(slug="nothing") is None


def test_the_public_rule_is_asked_on_every_run_not_when_compiled(db):
    article = published_article(slug="her2")
    assert selectors.article_detail_row(slug="her2") is not None

    article.unpublish()

    assert selectors.article_detail_row(slug="her2") is None


def test_a_compiled_query_is_built_once_and_run_with_each_value(db, django_assert_num_queries):
    for slug in ("one", "two"):
        published_article(slug=slug, title=slug.capitalize())
    built = []

    def build(slug):
        built.append(slug)
        return ArticleDocument.objects.filter(slug=slug).values_list("title")

    query = CompiledQuery(build)
    with django_assert_num_queries(3):
        found = [query.first(slug=slug) for slug in ("one", "two", "three")]

    assert found == [("One",), ("Two",), None]
    assert len(built) == 1


def test_a_value_the_query_does_not_take_is_refused(db):
    query = CompiledQuery(lambda slug: ArticleDocument.objects.values_list("title"))

    with pytest.raises(ValueError, match="does not take 'slug'"):
        query.rows(slug="her2")


@pytest.mark.parametrize("ordering", list(selectors.ARTICLE_ORDERINGS))
def test_every_page_of_a_compiled_list_is_the_public_documents_in_order(client, db, ordering):
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="kidneys")
    for number in range(7):
        published_article(
            slug=f"article-{number}", title=f"{'BA'[number % 2]} {number}", topics=[topic]
        )
    published_article(slug="elsewhere", title="Elsewhere")
    article_draft(slug="draft", topics=[topic])
    expected = list(
        selectors.articles_ordered(
            queryset=selectors.article_documents().filter(topics=topic), ordering=ordering
        ).values_list("slug", flat=True)
    )

    pages = [
        client.get(
            "/api/v1/articles/",
            {"topic": "kidneys", "ordering": ordering, "page_size": 3, "page": number},
        ).json()
        for number in (1, 2, 3)
    ]

    assert [item["slug"] for page in pages for item in page["results"]] == expected
    assert {page["count"] for page in pages} == {7}
    assert pages[2]["next"] is None
