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
    """Raised on any attempt to change or delete an approval record."""


class MedicalApprovalQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(
            "Medical approvals are permanent records and cannot be changed."
        )

    def delete(self):
        raise ImmutableRecordError(
            "Medical approvals are permanent records and cannot be deleted."
        )

    def covering(self, *, page_id, reviewer_user_id, reviewer_profile_id):
        """Approvals of this page by this reviewer (account and profile), newest first."""
        return self.filter(
            page_id=page_id, reviewer_id=reviewer_user_id, reviewer_profile_id=reviewer_profile_id
        ).order_by("-approved_at", "-pk")


class MedicalApproval(models.Model):
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

    def __str__(self):
        reviewer = f"{self.reviewer_name}, {self.reviewer_credentials}"
        return f"{reviewer} approved revision {self.revision_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                "Medical approvals are permanent records and cannot be changed."
            )
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(
            "Medical approvals are permanent records and cannot be deleted."
        )

    @staticmethod
    def next_due_from(moment):
        return timezone.localdate(moment) + timedelta(days=vetted_option("REVIEW_INTERVAL_DAYS"))


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
