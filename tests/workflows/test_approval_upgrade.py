"""Approvals recorded before reader documents keep covering what they approved."""

import contextlib
import importlib

import pytest
from django.apps import apps
from django.db import connection

from tests.served import served_as_approved
from tests.workflows.flow import fresh, through_editorial
from workflows.gate import PublishRefused
from workflows.models import MedicalApproval

backfill = importlib.import_module(
    "workflows.migrations.0003_approval_documents_backfill"
).backfill


@contextlib.contextmanager
def as_before_the_trigger():
    """The database as migration 0003 meets it: 0005's append-only trigger comes later."""
    if connection.vendor != "postgresql":
        yield
        return
    table, trigger = "workflows_medicalapproval", "vetted_workflows_medicalapproval_append_only"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks on the table
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def test_a_legacy_approval_is_given_the_document_its_revision_renders(article, people):
    state = through_editorial(article, people)
    reviewer = people["reviewer"]
    # As the release before reader documents recorded it: no document, another fingerprint.
    legacy = MedicalApproval.objects.create(
        page_id=article.pk,
        revision=state.revision,
        fingerprint="0" * 64,
        reviewer=reviewer.user,
        reviewer_profile_id=reviewer.pk,
        reviewer_name=reviewer.name,
        reviewer_credentials=reviewer.credentials,
        credentials_verified_until=reviewer.credentials_verified_until,
        next_review_due=MedicalApproval.next_due_from(state.started_at),
    )
    with pytest.raises(PublishRefused):
        state.revision.publish()

    with as_before_the_trigger():
        backfill(apps, None)

    legacy.refresh_from_db()
    assert legacy.document["title"] == article.title
    state.revision.publish()
    assert served_as_approved(fresh(article)) is not None
