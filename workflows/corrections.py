"""The corrections log: each correction of a live article, published and kept for good.

A correction's public note is reader text: it is drafted with the change it
describes (the article's ``correction_note``), is part of the reader document
the clinician approves (``document["correction"]``), and is recorded here when
that approved document first goes live, by `corrections_record` alone.
Records are permanent like approvals (`records.PermanentRecord`; a PostgreSQL
trigger refuses UPDATE and DELETE). A correction going live also retires the
approvals of the text it corrected (`workflows.rules.approval_standing_refusal`).
"""

import contextvars

from django.db import models
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

# Set only while `corrections_record` records the correction of a document going live.
_recording = contextvars.ContextVar("vetted_correction_recording", default=None)


def _refuse_outside_recording():
    raise ImmutableRecordError(
        "A correction is recorded only when its approved document goes live: publish the "
        "approved correction instead."
    )


class CorrectionQuerySet(PermanentRecordQuerySet):
    def as_approved(self):
        """The corrections whose note is the one their approval's document carries, for
        the article that approval is of, recorded after that approval: a row written any
        other way (a script's insert) is never shown."""
        return self.annotate(
            approved_note=KeyTextTransform("correction", "approval__document"),
        ).filter(
            note=F("approved_note"),
            approval__page_id=F("page_id"),
            published_at__gte=F("approval__approved_at"),
        )

    def bulk_create(self, objs, *args, **kwargs):
        _refuse_outside_recording()


class Correction(PermanentRecord):
    """That `approval`'s document, which corrected an error readers had seen, went live."""

    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Not unique: a row nobody should have written must not stand in for the real one
    # (`corrections_record` keeps one per approval among the rows `as_approved()`).
    approval = models.ForeignKey(
        MedicalApproval, on_delete=models.PROTECT, related_name="corrections"
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
        if _recording.get() != self.approval_id:
            _refuse_outside_recording()
        # The day it goes live, whatever a caller says.
        self.published_at = timezone.now()
        return super().save(*args, **kwargs)

    @property
    def date(self):
        return timezone.localdate(self.published_at)


def correction_note(document):
    """The public correction note `document` carries, or "" for none."""
    return document.get("correction", "")


def note_published(note, corrections):
    """Whether `note` is already the note of one of `corrections`: then it is no new one."""
    return any(c.note == note for c in corrections)


def corrections_record(*, page_id, approval, document):
    """``(corrections, added)``: the corrections of article `page_id`, newest first, once
    `approval`'s `document` is live, and whether its correction was recorded just now.

    The caller holds the article's lock. A note already published (by a later
    revision still holding it, a revert to the corrected text) is not a new
    correction, and neither is the note of an article's first approved document
    (a copy of a corrected article: readers saw nothing earlier to correct).
    """
    recorded = list(Correction.objects.as_approved().filter(page_id=page_id))
    note = correction_note(document)
    if (
        not note
        or note_published(note, recorded)
        or any(c.approval_id == approval.pk for c in recorded)
    ):
        return recorded, False
    earlier = MedicalApproval.objects.filter(page_id=page_id, approved_at__lt=approval.approved_at)
    if note != (approval.document or {}).get("correction") or not earlier.exists():
        return recorded, False
    token = _recording.set(approval.pk)
    try:
        correction = Correction.objects.create(page_id=page_id, approval=approval, note=note)
    finally:
        _recording.reset(token)
    return [correction, *recorded], True


def corrections_shown(corrections):
    """`corrections` as the API shows them: ``[{"date", "note"}]``, newest first."""
    return [{"date": c.date.isoformat(), "note": c.note} for c in corrections]


def corrections_after(approval):
    """The corrections that went live on later approvals of `approval`'s article, newest
    first: the text `approval` approved has been corrected, and never goes live on it again."""
    return Correction.objects.as_approved().filter(
        page_id=approval.page_id, approval__approved_at__gt=approval.approved_at
    )
