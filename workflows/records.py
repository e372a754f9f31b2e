"""The approval record: what a clinician approved, kept exactly and for good."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.options import vetted_option
from reader.document import document_fingerprint


class ImmutableRecordError(PermissionDenied):
    """Raised on any attempt to change or delete a permanent record."""


def _refuse(verb):
    raise ImmutableRecordError(
        f"Medical review records are permanent and cannot be {verb}. "
        "Record a new approval or rejection instead."
    )


class PermanentRecordQuerySet(models.QuerySet):
    """Rows that are only ever inserted: every path that would change or remove one refuses.

    On PostgreSQL a trigger (migration ``0004``) refuses UPDATE and DELETE too,
    so raw SQL and other clients cannot rewrite the record either.
    """

    def update(self, **kwargs):
        _refuse("changed")

    def _update(self, values):
        # `Model.save()` with an explicit pk of an existing row arrives here.
        _refuse("changed")

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse("changed")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        _refuse("changed")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        objs = list(objs)
        if update_conflicts or any(obj.pk is not None for obj in objs):
            _refuse("changed")
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        _refuse("deleted")

    def _raw_delete(self, using):
        _refuse("deleted")


class PermanentRecord(models.Model):
    """A model whose rows are inserted once and never changed or deleted.

    Concrete models name ``base_manager_name = "objects"`` in their Meta, so
    Django's own internal queries refuse too.
    """

    objects = PermanentRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # An explicit pk would make Django UPDATE an existing row (or insert one at a
        # chosen place); a record is only ever inserted, with a pk the database gives.
        if not self._state.adding or self.pk is not None:
            _refuse("changed")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse("deleted")


class MedicalApprovalQuerySet(PermanentRecordQuerySet):
    def covering(self, *, page_id, reviewer_user_id, reviewer_profile_id):
        """Approvals of this page by this reviewer (account and profile), newest first."""
        return self.filter(
            page_id=page_id, reviewer_id=reviewer_user_id, reviewer_profile_id=reviewer_profile_id
        ).order_by("-approved_at", "-pk")


class MedicalApproval(PermanentRecord):
    """An immutable record that a clinician approved one exact reader document of one article.

    It keeps the document as the clinician was shown it (`document`), the
    snapshot of what it showed from elsewhere (`sources`, see `reader.sources`),
    so the same revision renders the same document again whatever changes
    later, and the reviewer's name and credentials as they were: readers are
    told who reviewed the article from this record, never from the profile as
    it is today. Page and revision are plain references: the record outlives
    either.
    """

    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    document = models.JSONField(
        null=True, help_text="The reader document approved (null on records made before it)."
    )
    sources = models.JSONField(
        null=True, help_text="What the document showed from elsewhere when approved."
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medical_approvals"
    )
    reviewer_profile_id = models.PositiveBigIntegerField()
    reviewer_name = models.CharField(max_length=150)
    reviewer_slug = models.CharField(max_length=150, blank=True)
    reviewer_credentials = models.CharField(max_length=100)
    reviewer_specialty = models.CharField(max_length=150, blank=True)
    reviewer_organization = models.CharField(max_length=150, blank=True)
    credentials_verified_until = models.DateField()
    approved_at = models.DateTimeField(default=timezone.now)
    next_review_due = models.DateField()
    comment = models.TextField(blank=True)

    objects = MedicalApprovalQuerySet.as_manager()

    class Meta:
        app_label = "workflows"
        ordering = ["-approved_at", "-pk"]
        indexes = [models.Index(fields=["page", "fingerprint"])]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        reviewer = f"{self.reviewer_name}, {self.reviewer_credentials}"
        return f"{reviewer} approved revision {self.revision_id}"

    @staticmethod
    def next_due_from(moment):
        return timezone.localdate(moment) + timedelta(days=vetted_option("REVIEW_INTERVAL_DAYS"))


class MedicalRejection(PermanentRecord):
    """An immutable record that a clinician asked for changes to one exact reader document.

    A rejection supersedes every earlier approval of the same content
    (`superseded`, and any approval with the same `fingerprint`): what a
    clinician has since called wrong never goes live again on that approval,
    by revert, schedule or script. `live_unsafe` records that the clinician
    said the live text was unsafe and it was taken down.
    """

    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    superseded = models.JSONField(
        default=list, help_text="The ids of the earlier approvals of the same content."
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medical_rejections"
    )
    reviewer_profile_id = models.PositiveBigIntegerField()
    reviewer_name = models.CharField(max_length=150)
    rejected_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField()
    live_unsafe = models.BooleanField(default=False)

    class Meta:
        app_label = "workflows"
        ordering = ["-rejected_at", "-pk"]
        indexes = [models.Index(fields=["page", "rejected_at"])]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.reviewer_name} asked for changes to revision {self.revision_id}"

    def supersedes(self, approval):
        return self.rejected_at > approval.approved_at and (
            approval.pk in self.superseded or approval.fingerprint == self.fingerprint
        )


# How many of an article's approvals a rejection compares with what it rejects.
APPROVALS_COMPARED = 50


@transaction.atomic
def rejection_record(*, article, revision, reviewer_user, comment, live_unsafe=False):
    """Record that `reviewer_user` asked for changes to `article`'s document at `revision`.

    Every earlier approval of the same content is listed as superseded: the
    approvals whose fingerprint is the rejected document's, and those whose own
    sources snapshot renders this content into the document they approved.
    """
    reviewer = article.medical_reviewer
    fingerprint = document_fingerprint(article.reader_document())
    superseded = [
        approval.pk
        for approval in MedicalApproval.objects.filter(page_id=article.pk)[:APPROVALS_COMPARED]
        if approval.fingerprint == fingerprint
        or (
            approval.sources is not None
            and document_fingerprint(article.reader_document(approval.sources))
            == approval.fingerprint
        )
    ]
    return MedicalRejection.objects.create(
        page_id=article.pk,
        revision=revision,
        fingerprint=fingerprint,
        superseded=superseded,
        reviewer=reviewer_user,
        reviewer_profile_id=reviewer.pk,
        reviewer_name=reviewer.name,
        comment=comment,
        live_unsafe=live_unsafe,
    )


@transaction.atomic
def approval_record(*, article, revision, reviewer_user, comment=""):
    """Record that `reviewer_user` approved `article`'s reader document as `revision` renders it.

    `article` is the revision's content (``revision.as_object()``); the caller
    has checked the rules. The document is rendered once, here, from a sources
    snapshot that the record keeps.
    """
    reviewer = article.medical_reviewer
    sources = article.reader_sources()
    document = article.reader_document(sources)
    now = timezone.now()
    return MedicalApproval.objects.create(
        page_id=article.pk,
        revision=revision,
        fingerprint=document_fingerprint(document),
        document=document,
        sources=sources,
        reviewer=reviewer_user,
        reviewer_profile_id=reviewer.pk,
        reviewer_name=reviewer.name,
        reviewer_slug=reviewer.slug,
        reviewer_credentials=reviewer.credentials,
        reviewer_specialty=reviewer.specialty,
        reviewer_organization=reviewer.organization,
        credentials_verified_until=reviewer.credentials_verified_until,
        approved_at=now,
        next_review_due=MedicalApproval.next_due_from(now),
        comment=comment or "",
    )
