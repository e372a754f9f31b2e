"""The approval record is append-only, in Python and in the database (finding 5)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from content_models.models import CredentialVerification
from tests.factories import credentials_verified
from tests.served import served_detail
from tests.workflows.flow import act, approve_all, fresh, through_editorial
from workflows.models import ImmutableRecordError, MedicalApproval, MedicalRejection


@pytest.fixture
def approval(article, people):
    approve_all(article, people)
    return MedicalApproval.objects.get(page_id=article.pk)


def copy_of(record, **changes):
    """An unsaved record with every field of `record` (including its pk) and `changes`."""
    values = {field.attname: getattr(record, field.attname) for field in record._meta.fields}
    return type(record)(**{**values, **changes})


def unchanged(approval):
    stored = MedicalApproval.objects.get(pk=approval.pk)
    return stored.comment == approval.comment and stored.fingerprint == approval.fingerprint


def test_a_preset_pk_cannot_overwrite_an_approval(approval):
    with pytest.raises(ImmutableRecordError):
        copy_of(approval, comment="Never approved this.").save()
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.create(
            **{f.attname: getattr(approval, f.attname) for f in approval._meta.fields}
        )
    assert unchanged(approval)


def test_an_upsert_cannot_overwrite_an_approval(approval):
    rewritten = copy_of(approval, comment="Rewritten by upsert.")
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.bulk_create(
            [rewritten], update_conflicts=True, unique_fields=["id"], update_fields=["comment"]
        )
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.bulk_create([rewritten], ignore_conflicts=True)
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.bulk_update([rewritten], ["comment"])
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.update_or_create(pk=approval.pk, defaults={"comment": "x"})
    assert unchanged(approval)


def test_no_python_path_deletes_an_approval(article, approval):
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.filter(pk=approval.pk)._raw_delete(connection.alias)
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.filter(pk=approval.pk).delete()
    with pytest.raises(ImmutableRecordError):
        approval.delete()
    assert MedicalApproval.objects.filter(pk=approval.pk).exists()
    assert served_detail(fresh(article).slug) is not None


def test_rejections_and_verifications_are_permanent_too(article, people):
    through_editorial(article, people)
    act(article, people["clinician"], "reject", comment="Cite the trial.")
    rejection = MedicalRejection.objects.get()
    verification = credentials_verified(people["reviewer"], timezone.localdate())
    for record in (rejection, verification):
        with pytest.raises(ImmutableRecordError):
            copy_of(record).save()
        with pytest.raises(ImmutableRecordError):
            type(record).objects.filter(pk=record.pk).update(id=record.pk)
        with pytest.raises(ImmutableRecordError):
            type(record).objects.filter(pk=record.pk)._raw_delete(connection.alias)
    assert MedicalRejection.objects.get().comment == "Cite the trial."
    assert CredentialVerification.objects.filter(pk=verification.pk).exists()


def test_a_new_approval_is_still_recorded(article, people):
    """The refusals leave the one legitimate write: inserting a new record."""
    approve_all(article, people)
    assert MedicalApproval.objects.filter(page_id=article.pk).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger is PostgreSQL's (run with DATABASE_URL=postgres://…)",
)
@pytest.mark.parametrize(
    "table",
    [
        "workflows_medicalapproval",
        "workflows_medicalrejection",
        "content_models_credentialverification",
    ],
)
def test_postgresql_refuses_raw_update_and_delete(article, people, table):
    approve_all(article, people)
    MedicalRejection.objects.create(
        page_id=article.pk,
        revision=fresh(article).live_revision,
        fingerprint="0" * 64,
        reviewer=people["clinician"],
        reviewer_profile_id=people["reviewer"].pk,
        reviewer_name="Dr Rao",
        comment="No.",
    )
    credentials_verified(people["reviewer"], timezone.localdate())
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="permanent record"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == 1
    assert served_detail(fresh(article).slug) is not None
