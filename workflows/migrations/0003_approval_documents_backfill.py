"""Give approvals recorded before reader documents the document they approved.

Such an approval bound a fingerprint of its revision's raw fields; it now binds
the reader document that same revision renders (with what it shows from
elsewhere as it is at upgrade time), so articles published under it stay
covered. A fresh install has no such approvals and runs nothing here.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Approval = apps.get_model("workflows", "MedicalApproval")
    legacy = Approval.objects.filter(document__isnull=True)
    if not legacy.exists():
        return
    # The live models render documents; their schema is this migration's on an
    # upgrade from the release before reader documents.
    from wagtail.models import Revision

    from reader.document import document_fingerprint

    for approval in legacy.iterator():
        revision = Revision.objects.filter(pk=approval.revision_id).first()
        if revision is None:
            continue
        article = revision.as_object()
        sources = article.reader_sources()
        document = article.reader_document(sources)
        # The record refuses every change; this one-time upgrade fills the fields it
        # lacked, so it writes past that refusal on purpose (and only here).
        models.QuerySet.update(
            Approval.objects.filter(pk=approval.pk),
            document=document,
            sources=sources,
            fingerprint=document_fingerprint(document),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_approval_document"),
        ("content_models", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
