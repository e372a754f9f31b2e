"""The corrections log: each correction of a live article, published and kept for good.

A correction's public note is reader text: it is drafted with the change it
describes (the article's ``correction_note``), is part of the reader document
the clinician approves (``document["correction"]``), and is recorded here when
that approved document first goes live. Records are permanent like approvals
(`records.PermanentRecord`; a PostgreSQL trigger refuses UPDATE and DELETE).
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from wagtail.models import Page

from .records import (
    ImmutableRecordError,
    MedicalApproval,
    PermanentRecord,
    PermanentRecordQuerySet,
)


class CorrectionQuerySet(PermanentRecordQuerySet):
    def as_approved(self):
        """The corrections whose note is the one their approval's document carries, for
        the article that approval is of: a row written any other way (a script's insert)
        is never shown."""
        return self.annotate(
            approved_note=KeyTextTransform("correction", "approval__document"),
        ).filter(note=F("approved_note"), approval__page_id=F("page_id"))


class Correction(PermanentRecord):
    """That `approval`'s document, which corrected an error readers had seen, went live."""

    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # One approved document is one correction, however often it is written or republished.
    approval = models.OneToOneField(
        MedicalApproval, on_delete=models.PROTECT, related_name="correction"
    )
    note = models.TextField(help_text="As the clinician approved it, in the document.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        app_label = "workflows"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["page", "-published_at"])]
        default_permissions = ("view",)
        base_manager_name = "objects"

    def __str__(self):
        return f"Correction of page {self.page_id} on {self.published_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        approval = self.approval
        if approval.page_id != self.page_id or correction_note(approval.document or {}) != (
            self.note
        ):
            raise ImmutableRecordError(
                "A correction is recorded only as its approved document carries it: "
                "publish the approved correction instead."
            )
        return super().save(*args, **kwargs)

    @property
    def date(self):
        return timezone.localdate(self.published_at)


def correction_note(document):
    """The public correction note `document` carries, or "" for none."""
    return document.get("correction", "")


def corrections_record(*, page_id, approval, document):
    """``(corrections, added)``: the corrections of article `page_id`, newest first, once
    `approval`'s `document` is live, and whether its correction was recorded just now.

    A note already published (by a later revision still holding it, a revert to
    the corrected text) is not a new correction.
    """
    recorded = list(Correction.objects.as_approved().filter(page_id=page_id))
    note = correction_note(document)
    if not note or any(c.approval_id == approval.pk or c.note == note for c in recorded):
        return recorded, False
    try:
        with transaction.atomic():
            correction = Correction.objects.create(page_id=page_id, approval=approval, note=note)
    except IntegrityError:  # recorded meanwhile by a concurrent write of the same document
        return list(Correction.objects.as_approved().filter(page_id=page_id)), False
    return [correction, *recorded], True


def corrections_shown(corrections):
    """`corrections` as the API shows them: ``[{"date", "note"}]``, newest first."""
    return [{"date": c.date.isoformat(), "note": c.note} for c in corrections]
