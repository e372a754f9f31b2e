"""A document's page in Wagtail's tree, read through ``article_id`` (no column, no SQL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0006_document_search_lexemes_in_row"),
        ("wagtailcore", "0001_initial"),
    ]

    # State only: SQLite would otherwise rebuild the documents' table for a field that
    # has no column.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="articledocument",
                    name="page",
                    field=models.ForeignObject(
                        from_fields=["article"],
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wagtailcore.page",
                        to_fields=["id"],
                    ),
                    preserve_default=False,
                ),
            ],
        ),
    ]
