"""The API's reads as prepared statements on PostgreSQL (`api.prepared`)."""

import psycopg
import pytest
from django.db import connection

from tests.factories import TopicFactory, published_article

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Prepared statements are PostgreSQL's; other databases run the same queries.",
)


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def site(db):
    topic = TopicFactory(slug="kidneys", name="Kidneys")
    for number in range(3):
        published_article(slug=f"kidney-{number}", title=f"Kidney stones {number}", topics=[topic])
    return topic


def test_a_repeated_list_is_a_prepared_statement(client, site):
    before = len(prepared_statements())
    first = client.get("/api/v1/articles/", {"topic": "kidneys"})
    second = client.get("/api/v1/articles/", {"topic": "kidneys"})
    # Another slug is the same statement with another parameter.
    other = client.get("/api/v1/articles/", {"topic": "nothing-here"})

    prepared = prepared_statements()[before:]
    assert any('"api_articledocument"."summary"' in statement for statement in prepared)
    assert first.content == second.content
    assert first.json()["count"] == 3
    assert other.json()["count"] == 0


def test_prepared_and_unprepared_reads_answer_alike(client, site, settings):
    paths = [
        "/api/v1/articles/?topic=kidneys&ordering=title",
        "/api/v1/articles/kidney-1/",
        "/api/v1/articles/?search=stones",
        "/api/v1/topics/",
        "/api/v1/authors/",
    ]
    prepared = [client.get(path).content for path in paths for _ in range(2)]
    settings.VETTED = {**settings.VETTED, "PREPARED_STATEMENTS": False}
    before = len(prepared_statements())
    unprepared = [client.get(path).content for path in paths for _ in range(2)]

    assert prepared == unprepared
    assert len(prepared_statements()) == before


def test_the_connection_binds_on_the_client_again_after_a_request(client, site):
    client.get("/api/v1/articles/")

    # The ORM outside the API (the admin, the gate) is left as Django configures it.
    assert connection.connection.prepare_threshold is None
    assert isinstance(connection.connection.cursor(), psycopg.ClientCursor)


def plans(*fragments):
    """``(generic plans, custom plans)`` of the prepared statement containing `fragments`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        found = [
            (generic, custom)
            for statement, generic, custom in cursor.fetchall()
            if all(fragment in statement for fragment in fragments)
        ]
    assert len(found) == 1, found
    return found[0]


def test_a_list_page_is_planned_once_not_for_every_request(client, site):
    for _ in range(10):
        client.get("/api/v1/articles/", {"topic": "kidneys"})

    # PostgreSQL plans a prepared statement for its first five runs, then keeps one
    # plan if that is no dearer: with LIMIT a parameter, it never was.
    generic, custom = plans('"api_articledocument"."summary"', "LIMIT 20 OFFSET 0")
    assert custom <= 5
    assert generic >= 4


def test_a_search_is_planned_for_its_words_and_never_prepared(client, site):
    """A word in every article and a word in one want opposite plans: one prepared for
    whichever came first would serve the other badly at scale."""
    searches = ["kidney", "stones", '"kidney stones"', "kidney", '"kidney stones"', "nowhere"]
    counts = [
        client.get("/api/v1/articles/", {"search": text}).json()["count"] for text in searches * 2
    ]

    assert counts == [3, 3, 3, 3, 3, 0] * 2
    assert [
        statement for statement in prepared_statements() if "search_lexemes" in statement
    ] == []
    # The list without a search still is.
    client.get("/api/v1/articles/", {"topic": "kidneys"})
    client.get("/api/v1/articles/", {"topic": "kidneys"})
    assert any('"api_articledocument"."summary"' in s for s in prepared_statements())
