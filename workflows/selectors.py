"""Reads for the clinical workflow's admin screens."""

from wagtail.models import TaskState

from . import rules
from .models import MedicalApproval, MedicalReviewTask


def medical_reviews_awaiting(*, user):
    """In-progress medical review steps assigned to `user`, oldest first, with their articles."""
    states = (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=MedicalReviewTask.objects.filter(active=True),
        )
        .select_related("revision", "workflow_state")
        .order_by("started_at")
    )
    awaiting = []
    for state in states:
        article = MedicalReviewTask.article_under_review(state)
        if rules.is_assigned_reviewer(user=user, article=article):
            awaiting.append((state, article))
    return awaiting


def approval_latest(*, page_id):
    """The newest approval of any version of the page, or None."""
    return MedicalApproval.objects.filter(page_id=page_id).select_related("revision").first()
