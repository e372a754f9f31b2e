"""The documents' words without positions, indexed (`api.search.index_ensure`)."""

from django.db import migrations


def index_ensure(apps, schema_editor):
    from api.search import index_ensure

    index_ensure(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_document_search"),
    ]

    operations = [migrations.RunPython(index_ensure, migrations.RunPython.noop)]
