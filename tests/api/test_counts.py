"""A list's `count` is how many articles its pages hold, however it is counted.

Without any view restriction the delivery documents are counted alone
(`selectors.article_documents_count`); with one, the public rule is counted
in full. Either way `count` matches what the pages list.
"""

import io

import pytest
from django.core.management import call_command

from api import documents
from api.models import ArticleDocument
from content_models.models import ArticlePage
from tests.factories import TopicFactory, published_article

from .helpers import private_article, unpublished_article


def every_slug(api, query=""):
    """`count` and the slugs of every page of the list at `query`."""
    response = api.get(f"/api/v1/articles/?page_size=2{query}").json()
    count, slugs = response["count"], [item["slug"] for item in response["results"]]
    page = 1
    while response["next"]:
        page += 1
        response = api.get(f"/api/v1/articles/?page_size=2&page={page}{query}").json()
        assert response["count"] == count
        slugs += [item["slug"] for item in response["results"]]
    return count, slugs


@pytest.fixture
def library():
    kidney = TopicFactory(name="Kidney", slug="kidney")
    for number in range(4):
        published_article(slug=f"kidney-{number}", title=f"Kidney care {number}", topics=[kidney])
    published_article(slug="her2", title="What is HER2?")
    unpublished_article(slug="withdrawn", title="Kidney stones, withdrawn", topics=[kidney])
    return kidney


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", 5),
        ("&topic=kidney", 4),
        ("&search=kidney", 4),
        ("&search=pancreas", 0),
        ("&topic=kidney&ordering=title", 4),
    ],
)
def test_the_count_is_what_the_pages_list(api, library, query, expected):
    count, slugs = every_slug(api, query)

    assert count == len(slugs) == expected
    assert "withdrawn" not in slugs


def test_with_a_private_section_the_count_leaves_out_its_articles(api, library):
    private_article(slug="kidney-private", title="Kidney, members only", topics=[library])

    for query, expected in (("", 5), ("&topic=kidney", 4), ("&search=kidney", 4)):
        count, slugs = every_slug(api, query)
        assert count == len(slugs) == expected
        assert "kidney-private" not in slugs


def test_a_document_left_by_a_write_around_the_gate_is_removed_by_the_rewrite(api, library):
    taken_down = ArticlePage.objects.get(slug="kidney-0")
    # A bulk update skips save(), the gate and the document it would have removed.
    ArticlePage.objects.filter(pk=taken_down.pk).update(live=False)
    assert api.get("/api/v1/articles/kidney-0/").status_code == 404  # never shown

    out = io.StringIO()
    call_command("rewrite_delivery_documents", stdout=out)

    assert "1 document(s) of articles no longer live removed" in out.getvalue()
    assert not ArticleDocument.objects.filter(article=taken_down).exists()
    count, slugs = every_slug(api)
    assert count == len(slugs) == 4
    assert documents.documents_stray_remove() == 0
