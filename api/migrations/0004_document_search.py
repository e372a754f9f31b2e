"""Search in the delivery documents (`api.search`): the words of each, and their index."""

import json

from django.db import migrations, models


def search_text_fill(apps, schema_editor):
    from api.search import search_text

    documents = apps.get_model("api", "ArticleDocument").objects.using(schema_editor.connection.alias)
    for document in documents.only("pk", "detail").iterator():
        document.search_text = search_text(json.loads(document.detail))
        document.save(update_fields=["search_text"])


def index_ensure(apps, schema_editor):
    from api.search import index_ensure

    index_ensure(schema_editor.connection)


def index_remove(apps, schema_editor):
    from api.search import index_remove

    index_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_delivery_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="articledocument",
            name="search_text",
            field=models.TextField(
                default="", help_text="The words of the document a search matches (`api.search`)."
            ),
        ),
        migrations.RunPython(search_text_fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(index_ensure, index_remove),
    ]
