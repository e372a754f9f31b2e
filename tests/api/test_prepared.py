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
