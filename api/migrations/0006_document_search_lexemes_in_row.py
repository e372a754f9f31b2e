"""The documents' indexed words kept in the row (`api.search.lexemes_kept_in_row`).

On PostgreSQL every document is written again so that its words move into the
row: one UPDATE of the documents table (their content does not change; the
generated columns are computed again).
"""

from django.db import migrations


def lexemes_in_row(apps, schema_editor):
    from api.search import DOCUMENTS_TABLE, index_ensure

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    index_ensure(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {DOCUMENTS_TABLE} SET search_text = search_text")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0005_document_search_lexemes"),
    ]

    operations = [migrations.RunPython(lexemes_in_row, migrations.RunPython.noop)]
