"""Search in the delivery documents (`api.search`): what readers find is what they are served."""

import itertools
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import parse_query_string

from api import search
from api.models import ArticleDocument
from content_models.models import ArticlePage
from tests.api.helpers import unapproved_edit
from tests.factories import approve_revision, article_draft, published_article


def searched(api, text, **params):
    response = api.get("/api/v1/articles/", {"search": text, "page_size": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()


def slugs_found(api, text):
    return {item["slug"] for item in searched(api, text)["results"]}


def wagtail_found(text):
    """The public articles that Wagtail's database backend, which the API searched before,
    finds for `text`, as the API used it (ids from the backend, then the public ones)."""
    _filters, query = parse_query_string(text)
    found = get_search_backend().search(
        query, ArticlePage.objects.only("pk"), order_by_relevance=False
    )
    found_ids = [article.pk for article in found]
    return set(
        ArticleDocument.objects.filter(article__live=True, pk__in=found_ids).values_list(
            "slug", flat=True
        )
    )


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("VETTED_DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo")


def demo_queries():
    """Every word of the demo's served documents, each article's title as words and as a
    phrase, pairs of words across articles, and words that are nowhere."""
    texts = [
        json.loads(detail) for detail in ArticleDocument.objects.values_list("detail", flat=True)
    ]
    words = set()
    for document in texts:
        words |= set(re.findall(r"[\w'’-]+", search.search_text(document)))
    titles = [document["title"] for document in texts]
    queries = sorted(words)
    queries += titles + [f'"{title}"' for title in titles]
    queries += [f"{a.split()[0]} {b.split()[-1]}" for a, b in itertools.pairwise(titles)]
    queries += ["zyxwvut", "cancer zyxwvut", '"breast tests"', "the", "THE And of"]
    return queries


def test_search_finds_what_wagtails_backend_found_on_the_demo(api, demo):
    queries = demo_queries()
    assert len(queries) > 300  # the demo's vocabulary, not a handful of words

    differing = {
        text: (found, expected)
        for text in queries
        if (
            found := set(
                ArticleDocument.objects.filter(
                    pk__in=search.documents_matching(
                        queryset=ArticleDocument.objects.all(), text=text
                    )
                ).values_list("slug", flat=True)
            )
        )
        != (expected := wagtail_found(text))
    }

    assert differing == {}


def test_search_through_the_api_matches_wagtails_backend_on_demo_titles(api, demo):
    for title in ArticleDocument.objects.values_list("title", flat=True):
        assert slugs_found(api, title) == wagtail_found(title) != set()


def test_search_through_the_api_matches_wagtails_backend_on_every_demo_query(api, demo):
    """Plain words run the list's compiled statement (`search.plain_expression`), a
    phrase its own SQL (`search.documents_matching`): both find what Wagtail found."""
    differing = {}
    for number, text in enumerate(demo_queries()):
        # Each from its own address: hundreds of searches, each within the rate limit.
        response = api.client.get(
            "/api/v1/articles/",
            {"search": text, "page_size": 100},
            REMOTE_ADDR=f"10.0.{number // 200}.{number % 200 + 1}",
        )
        assert response.status_code == 200, response.content
        api.check(response)
        found = {item["slug"] for item in response.json()["results"]}
        if found != (expected := wagtail_found(text)):
            differing[text] = (found, expected)

    assert differing == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage of a column.")
def test_the_indexed_words_column_is_stored_in_the_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'api_articledocument'::regclass AND attname = 'search_lexemes'"
        )
        # MAIN: compressed in the row, out of line only if the row could not hold it.
        assert cursor.fetchone() == ("m",)


def test_words_written_into_the_live_row_around_the_gate_are_not_found(api, db):
    article = published_article(slug="her2", title="HER2 testing", summary="Approved words.")
    # A script with the ORM: no save(), no revision, no approval.
    ArticlePage.objects.filter(pk=article.pk).update(summary="Unvetted miracle cure.")

    assert slugs_found(api, "miracle") == set()
    assert slugs_found(api, "approved") == {"her2"}


def test_an_unapproved_edit_is_not_found_and_the_approved_text_still_is(api, db):
    article = published_article(slug="her2", title="HER2 testing", summary="Approved words.")
    unapproved_edit(article, summary="Draft miracle cure.")

    assert slugs_found(api, "miracle") == set()
    assert slugs_found(api, "approved") == {"her2"}


def test_a_draft_is_never_found(api, db):
    article_draft(slug="draft", title="Secret draft about kidneys")

    assert slugs_found(api, "kidneys") == set()
    assert searched(api, "kidneys")["count"] == 0


def test_a_taken_down_article_is_no_longer_found(api, db):
    article = published_article(slug="her2", title="HER2 testing")
    assert slugs_found(api, "testing") == {"her2"}

    article.unpublish()

    assert slugs_found(api, "testing") == set()
    assert searched(api, "testing")["count"] == 0


def test_a_new_approved_text_is_found_and_the_old_one_no_longer(api, db):
    article = published_article(slug="her2", title="HER2 testing", summary="First words.")
    edited = unapproved_edit(article, summary="Second wording entirely.")
    approve_revision(edited)
    edited.get_latest_revision().publish()

    assert slugs_found(api, "wording") == {"her2"}
    assert slugs_found(api, "first") == set()


def test_english_stemming_and_stop_words_on_postgresql(api, db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's english configuration stems; SQLite's FTS5 tokenizer does not.")
    published_article(slug="tests", title="Diagnostic tests for breast cancer")

    assert slugs_found(api, "testing") == {"tests"}
    assert slugs_found(api, "the diagnostic") == {"tests"}


def test_a_search_of_only_stop_words_or_punctuation_matches_nothing(api, db):
    published_article(slug="her2", title="HER2 testing")

    for text in ("the", "- -", "&", "'"):
        assert searched(api, text) == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_search_is_two_queries_whatever_the_number_of_matches(
    api, db, django_assert_num_queries
):
    for number in range(5):
        published_article(slug=f"kidney-{number}", title=f"Kidney stones {number}")

    # The count and the page, each one statement with the search inside it.
    with django_assert_num_queries(2):
        body = searched(api, "kidney", page_size=2)

    assert body["count"] == 5
    assert len(body["results"]) == 2


def test_the_index_is_written_by_the_database_with_the_document(db):
    article = published_article(slug="her2", title="HER2 testing")
    # A write of the document's words by any path, the gate's or not, is what is indexed.
    ArticleDocument.objects.filter(pk=article.pk).update(search_text="Rewritten")

    found = search.documents_matching(queryset=ArticleDocument.objects.all(), text="rewritten")
    assert [document.pk for document in found] == [article.pk]
    ArticleDocument.objects.filter(pk=article.pk).delete()
    assert not search.documents_matching(queryset=ArticleDocument.objects.all(), text="rewritten")


def test_a_lost_sqlite_index_is_rebuilt_after_migrate(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite drops a table's triggers when a migration rebuilds the table.")
    article = published_article(slug="her2", title="HER2 testing")
    search.index_remove(connection)
    ArticleDocument.objects.filter(pk=article.pk).update(search_text="Written while lost")

    call_command("migrate", verbosity=0)

    found = search.documents_matching(queryset=ArticleDocument.objects.all(), text="lost")
    assert [document.pk for document in found] == [article.pk]


def test_a_common_search_counts_up_to_the_limit_and_says_so(api, db, settings):
    settings.VETTED = {**settings.VETTED, "SEARCH_COUNT_LIMIT": 3}
    for number in range(5):
        published_article(slug=f"kidney-{number}", title=f"Kidney stones {number}")

    first = searched(api, "kidney", page_size=2)
    last = api.get("/api/v1/articles/", {"search": "kidney", "page_size": 2, "page": 2}).json()
    past = api.get("/api/v1/articles/", {"search": "kidney", "page_size": 2, "page": 3})

    assert (first["count"], first["count_capped"], len(first["results"])) == (3, True, 2)
    assert (len(last["results"]), last["next"]) == (1, None)
    assert past.status_code == 404
    assert "narrow the search" in past.json()["detail"]


def test_a_search_within_the_limit_is_counted_exactly(api, db, settings):
    settings.VETTED = {**settings.VETTED, "SEARCH_COUNT_LIMIT": 3}
    for number in range(3):
        published_article(slug=f"kidney-{number}", title=f"Kidney stones {number}")
    published_article(slug="other", title="Migraine")

    body = searched(api, "kidney")

    assert body["count"] == 3
    assert "count_capped" not in body
    # A list that is not a search is never capped.
    assert api.get("/api/v1/articles/").json()["count"] == 4


def test_the_words_searched_are_those_of_the_served_document():
    document = {
        "title": "HER2 testing",
        "summary": "What the test shows.",
        "body": [
            {"type": "heading", "value": "Results"},
            {"type": "paragraph", "value": "<p>Ask <b>your</b> oncologist.</p><p>Next</p>"},
            # A list item saved from Python may keep its wrapper: its words still count.
            {"type": "bullet_list", "value": ["First", {"type": "item", "value": "Second"}]},
            {"type": "read_more", "value": {"slug": "a", "title": "Other", "text": "Other"}},
            {
                "type": "citation",
                "value": {
                    "title": "A trial",
                    "source": "A journal",
                    "url": "https://example.org/never-words",
                    "doi": "10.1/x",
                    "pubmed_id": None,
                    "accessed": "2026-01-01",
                },
            },
            {
                "type": "callout",
                "value": {"tone": "warning", "title": None, "text": "<p>Care</p>"},
            },
        ],
        "topics": [{"name": "Breast cancer", "slug": "breast-cancer"}],
        "author": {"name": "Ana Writer", "slug": "ana"},
        "medical_reviewer": None,
    }

    assert search.search_text(document).split("\n") == [
        "HER2 testing",
        "What the test shows.",
        "Results",
        "Ask your oncologist. Next",
        "First",
        "Second",
        "A trial",
        "A journal",
        "10.1/x",
        "Warning",
        "Care",
        "Breast cancer",
        "Ana Writer",
    ]


def test_a_phrase_needs_its_words_in_order_not_only_present(api, db):
    published_article(slug="tests", title="Breast cancer tests", summary="What to expect.")

    assert slugs_found(api, '"cancer tests"') == {"tests"}
    assert slugs_found(api, '"tests breast"') == set()
    assert slugs_found(api, "tests breast") == {"tests"}
