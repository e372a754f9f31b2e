"""Permanent records in the database itself: PostgreSQL refuses UPDATE and DELETE on them.

The models refuse every Python path (`records.PermanentRecord`); a trigger
refuses the rest (raw SQL, another client, a script with a cursor). Installed
by migrations through `append_only`. TRUNCATE, a table owner's operation that
the test runner uses to empty tables, is not refused; neither can a database
superuser be stopped from dropping a trigger: those are for the people who run
the database, and PostgreSQL's own logs record them.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION vetted_refuse_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of a row of % refused: it is a permanent record; insert a new one instead',
        TG_OP, TG_TABLE_NAME;
END
$$;
"""


def _trigger(table):
    return f"vetted_{table}_append_only"


def append_only(table):
    """A migration operation that makes `table` insert-only on PostgreSQL (a no-op elsewhere)."""

    def install(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {_trigger(table)} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION vetted_refuse_record_change()"
        )

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")

    return migrations.RunPython(install, remove, elidable=False)
