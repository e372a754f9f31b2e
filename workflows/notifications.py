"""Email to the people who must act next, and only to them.

- The medical step starts: the assigned clinician.
- The article is rejected at any step: the writer (who submitted it, and the
  author's account) with the reviewer's comment.
- The workflow finishes and the article is live: the writer.
- The clinician takes a live article down as unsafe: the writer and the editors.
- An editor takes a live article down: the writer and the assigned clinician
  (sent by `workflows.takedown`, which the medical task itself calls).

Mail is sent through `workflows.mail`, after the transaction commits, so a
rolled-back decision sends nothing.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.signal_handlers import (
    workflow_approval_email_notifier,
    workflow_rejection_email_notifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from .mail import mail_send
from .models import MedicalRejection, MedicalReviewTask
from .roles import EDITORS


def _writers(workflow_state, *, acting_user):
    article = workflow_state.content_object.specific
    author = getattr(article, "author", None)
    people = {workflow_state.requested_by, getattr(author, "user", None)}
    return [
        user
        for user in people
        if user is not None and (acting_user is None or user.pk != acting_user.pk)
    ]


def medical_review_requested(sender, instance, user=None, **kwargs):
    task_state = instance
    if not isinstance(task_state.task.specific, MedicalReviewTask):
        return
    article = MedicalReviewTask.article_under_review(task_state)
    _reviewer_told(article=article, template="medical_review_requested", task_state=task_state)


def article_rejected(sender, instance, user=None, **kwargs):
    task_state = instance.current_task_state
    article = instance.content_object.specific
    taken_down = None
    if task_state is not None and isinstance(task_state.task.specific, MedicalReviewTask):
        # The rejection this decision recorded, if it took the live text down.
        taken_down = MedicalRejection.objects.filter(
            page_id=article.pk,
            revision_id=task_state.revision_id,
            rejected_at__gte=task_state.started_at,
            live_unsafe=True,
        ).first()
    if taken_down is not None:
        editors = get_user_model().objects.filter(groups__name=EDITORS)
        mail_send(
            template="article_taken_down_unsafe",
            recipients={*_writers(instance, acting_user=user), *editors},
            context={"article": article, "rejection": taken_down},
            preference="rejected_notifications",
        )
        return
    mail_send(
        template="article_rejected",
        recipients=_writers(instance, acting_user=user),
        context={
            "article": instance.content_object.specific,
            "task_state": task_state,
            "comment": task_state.comment if task_state else "",
            "rejected_by": user,
        },
        preference="rejected_notifications",
    )


def article_approved(sender, instance, user=None, **kwargs):
    mail_send(
        template="article_approved",
        recipients=_writers(instance, acting_user=user),
        context={"article": instance.content_object.specific, "approved_by": user},
        preference="approved_notifications",
    )


def receivers_connect():
    """Replace Wagtail's workflow approval/rejection mail with Vetted's.

    Called from `cms.apps` after Wagtail's admin has connected its own.
    """
    workflow_rejected.disconnect(
        workflow_rejection_email_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )
    workflow_approved.disconnect(
        workflow_approval_email_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
    task_submitted.connect(
        medical_review_requested, sender=TaskState, dispatch_uid="vetted_medical_review_requested"
    )
    workflow_rejected.connect(
        article_rejected, sender=WorkflowState, dispatch_uid="vetted_article_rejected"
    )
    workflow_approved.connect(
        article_approved, sender=WorkflowState, dispatch_uid="vetted_article_approved"
    )


def rereview_shown_changed(*, article, changes):
    """Tell the assigned reviewer that something the live article shows changed elsewhere."""
    _reviewer_told(article=article, template="rereview_shown_changed", changes=changes)


def rereview_reader_report(*, article, report):
    """Tell the assigned reviewer that a reader's report sent the article to re-review."""
    _reviewer_told(article=article, template="rereview_reader_report", report=report)


def reader_report_received(*, article, report, report_url):
    """Tell the reviewer of the live article that a reader reported a problem with it."""
    _reviewer_told(article=article, template="reader_report", report=report, report_url=report_url)


def rereview_due(*, article):
    _reviewer_told(article=article, template="rereview_due")


def _reviewer_told(*, article, template, **context):
    reviewer = getattr(article, "medical_reviewer", None)
    if reviewer is None:
        return
    mail_send(
        template=template,
        recipients=[reviewer.user],
        context={"article": article, "reviewer": reviewer, **context},
        preference="submitted_notifications",
    )
