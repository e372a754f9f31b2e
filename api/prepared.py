"""The delivery API's reads as prepared statements on PostgreSQL.

A list request's SQL takes PostgreSQL longer to plan than to run (a join to
the page tree, the anti-join of view restrictions, the topic filter): two to
seven times as long at 1,000 articles. Django binds parameters on the client,
so every request's SQL is new text and is planned again. Inside
`statements_prepared()`, queries bind their parameters on the server (psycopg's
server-side binding), so the same query shape is the same statement, and
psycopg prepares it on its second use on a connection: later requests skip
parsing and, once PostgreSQL settles on a generic plan, planning.

A prepared statement lives in its database session. Behind PgBouncer in
transaction pooling mode that needs PgBouncer 1.21 or later with
``max_prepared_statements`` set; with an older pooler, or any that does not
track them, set ``VETTED_PREPARED_STATEMENTS=false``. Other databases run the
same queries unprepared.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from cms.options import vetted_option

# psycopg prepares a query on its second execution on a connection (its default is
# the fifth; Django turns preparing off altogether).
PREPARE_THRESHOLD = 1


@contextmanager
def statements_prepared(using=DEFAULT_DB_ALIAS):
    """Run the block's queries on `using` with server-side binding, prepared once repeated."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not vetted_option("PREPARED_STATEMENTS"):
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    saved = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_THRESHOLD
    try:
        yield
    finally:
        # The connection may have been closed and replaced inside the block.
        if connection.connection is raw:
            raw.cursor_factory, raw.prepare_threshold = saved


@contextmanager
def planned_each_time(using=DEFAULT_DB_ALIAS):
    """Run the block's queries unprepared, even inside `statements_prepared()`: for SQL
    whose best plan depends on its values, which PostgreSQL could otherwise settle
    into one generic plan for all of them (a search's words: a word in every
    article is best found walking the list's order, a rare word through the
    index of words)."""
    connection = connections[using]
    raw = connection.connection
    if raw is None or connection.vendor != "postgresql":
        yield
        return
    saved = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        if connection.connection is raw:
            raw.prepare_threshold = saved
