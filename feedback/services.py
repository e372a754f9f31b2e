"""Receiving and closing reader reports; the page history records both, without the reader."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from workflows.corrections import Correction
from workflows.notifications import reader_report_received
from workflows.roles import EDITORS
from workflows.services import rereview_start

from .models import ReaderReport

RECEIVED = "vetted.reader_report_received"
CLOSED = "vetted.reader_report_closed"

ALREADY_CLOSED = "This report was closed already; its outcome stays as recorded."
NOT_YOURS = (
    "Only editors and the article's medical reviewer close reader reports. Ask an editor "
    "if this report needs your attention."
)
NOTE_NEEDED = "Say what you found, in a sentence: the history keeps it with the outcome."
NO_CORRECTION = (
    "No correction of this article has gone live to link this report to. Mark the edit "
    "that fixes it as a correction, with its public note; once the medical reviewer's "
    "approval has put it live, close this report as corrected and choose it."
)


def may_close(*, user, report):
    if user is None or not user.is_active:
        return False
    if user.is_superuser or user.groups.filter(name=EDITORS).exists():
        return True
    reviewer = getattr(report.article, "medical_reviewer", None)
    return reviewer is not None and reviewer.user_id == user.pk


@transaction.atomic
def report_receive(*, article, message, email=""):
    """Keep a reader's report on live `article` and tell its reviewer."""
    report = ReaderReport.objects.create(
        article=article, article_title=article.title, message=message, email=email
    )
    # The history says a report came, not from whom.
    log(instance=article, action=RECEIVED, data={"report": report.pk})
    reader_report_received(
        article=article,
        report=report,
        report_url=reverse("reader_report", args=[report.pk]),
    )
    return report


@transaction.atomic
def report_close(*, report, user, outcome, note, correction=None):
    """Close `report` with `outcome` (a `ReaderReport.Outcome`) and `note`; once only.

    "Corrected" links the report to the published `correction` of its article
    it led to (the newest since the report came, when not given). "Sent to
    re-review" sends the live article back through its workflow, its reviewer
    told why.
    """
    report = ReaderReport.objects.select_for_update().get(pk=report.pk)
    if not may_close(user=user, report=report):
        raise PermissionDenied(NOT_YOURS)
    if not report.is_open:
        raise ValidationError(ALREADY_CLOSED)
    if outcome not in ReaderReport.Outcome.values:
        raise ValidationError("Choose the outcome: no change needed, corrected, or re-review.")
    if not note.strip():
        raise ValidationError(NOTE_NEEDED)
    if outcome == ReaderReport.Outcome.CORRECTED:
        correction = _correction_for(report, correction)
    else:
        correction = None
    report.outcome, report.outcome_note = outcome, note.strip()
    report.closed_by, report.closed_at = user, timezone.now()
    report.correction = correction
    report.save(update_fields=["outcome", "outcome_note", "closed_by", "closed_at", "correction"])
    if report.article is not None:
        data = {
            "report": report.pk,
            "outcome": report.get_outcome_display(),
            "note": report.outcome_note,
        }
        if correction is not None:
            data["correction"] = {"date": correction.date.isoformat(), "note": correction.note}
        log(instance=report.article, action=CLOSED, user=user, data=data)
        if outcome == ReaderReport.Outcome.REREVIEW and report.article.live:
            rereview_start(article=report.article, user=user, reader_report=report)
    return report


def corrections_linkable(report):
    """The published corrections of `report`'s article, newest first."""
    if report.article_id is None:
        return Correction.objects.none()
    return Correction.objects.as_approved().filter(page_id=report.article_id)


def _correction_for(report, chosen):
    linkable = corrections_linkable(report)
    if chosen is not None:
        if not linkable.filter(pk=chosen.pk).exists():
            raise ValidationError(
                "That correction is not one of this article's: choose one of its own."
            )
        return chosen
    newest = linkable.filter(published_at__gte=report.received_at).first()
    if newest is None:
        raise ValidationError(NO_CORRECTION)
    return newest
