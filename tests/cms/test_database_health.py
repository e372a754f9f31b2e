"""The PostgreSQL backend's health check (`cms.db.postgresql`): a persistent connection
the server has ended is replaced before a request uses it, and a healthy one is kept
without a round trip."""

import os
import tempfile
import time

import psycopg
import pytest
from django.db import connection

from tests.factories import published_article

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The health check is the PostgreSQL backend's (run with DATABASE_URL=postgres://…).",
)


@pytest.fixture
def health_checks():
    """Health checks on, as production runs them."""
    enabled = connection.health_check_enabled
    connection.ensure_connection()
    connection.health_check_enabled = True
    yield
    connection.health_check_enabled = enabled


def request_starts():
    # What Django's request_started does to a persistent connection (the test client
    # skips it): its next query checks it first.
    connection.health_check_done = False


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    """End backend `pid` from another session, as a server restart or an idle timeout does."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        deadline = time.monotonic() + 10
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the terminated backend did not exit"
            time.sleep(0.05)


def test_the_engine_is_the_project_backend():
    assert connection.settings_dict["ENGINE"] == "cms.db.postgresql"


@pytest.mark.django_db
def test_a_healthy_connection_is_kept_and_its_check_sends_nothing(health_checks):
    pid = backend_pid()
    raw = connection.connection
    request_starts()
    with tempfile.TemporaryFile() as trace:
        # libpq writes every protocol message it sends or receives to the trace.
        raw.pgconn.trace(trace.fileno())
        try:
            connection.close_if_health_check_failed()
        finally:
            raw.pgconn.untrace()
        sent = os.fstat(trace.fileno()).st_size

    assert sent == 0
    assert connection.connection is raw
    assert backend_pid() == pid


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_after_the_server_ended_the_connection_is_answered(client, health_checks):
    article = published_article(slug="kidney-stones", title="Kidney stones")
    pid = backend_pid()
    terminate(pid)
    request_starts()

    response = client.get(f"/api/v1/articles/{article.slug}/")

    assert response.status_code == 200
    assert response.json()["title"] == "Kidney stones"
    assert backend_pid() != pid
