"""Writes that matter in the clinical workflow."""

from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from . import rules
from .notifications import rereview_due, rereview_reader_report, rereview_shown_changed
from .records import approval_record
from .roles import EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME, WORKFLOW_NAME
from .signals import review_overdue
from .tasks import MedicalReviewTask

__all__ = ["approval_record", "medical_review_workflow_ensure", "rereview_start"]


@transaction.atomic
def medical_review_workflow_ensure(*, page, editors_group):
    """Create (or repair) the `Medical review` workflow and assign it to `page`.

    Idempotent: running it again changes nothing on an install that has it.
    Tasks, in order: `Editorial review` (the editors group) then `Medical review`.
    """
    editorial = GroupApprovalTask.objects.filter(name=EDITORIAL_TASK_NAME).first()
    if editorial is None:
        editorial = GroupApprovalTask.objects.create(name=EDITORIAL_TASK_NAME)
    editorial.groups.add(editors_group)
    medical = MedicalReviewTask.objects.filter(name=MEDICAL_TASK_NAME).first()
    if medical is None:
        medical = MedicalReviewTask.objects.create(name=MEDICAL_TASK_NAME)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    for order, task in enumerate((editorial, medical)):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    WorkflowTask.objects.filter(workflow=workflow).exclude(task__in=(editorial, medical)).delete()
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def rereview_start(*, article, user=None, changes=None, reader_report=None):
    """Send a live article back through its workflow: its review is due, or, given
    `changes` (``[(label, old, new)]``), something it shows changed elsewhere, or,
    given `reader_report` (`feedback.models.ReaderReport`), a reader reported a problem.

    Returns the new workflow state, or None when a review is already under way,
    no workflow applies, or the latest draft has no reviewer to send it to (an
    editor assigns one and submits it). The assigned reviewer is told why. One
    transaction: the workflow, the notice and the webhook event go together.
    """
    if article.current_workflow_state is not None:
        # A review under way, or changes requested and not yet resubmitted.
        return None
    workflow = article.get_workflow()
    if workflow is None or rules.workflow_start_refusal(
        article=article.get_latest_revision_as_object()
    ):
        return None
    state = workflow.start(article, user)
    if reader_report is not None:
        rereview_reader_report(article=article, report=reader_report)
    elif changes:
        rereview_shown_changed(article=article, changes=changes)
    else:
        rereview_due(article=article)
        review_overdue.send(sender=type(article), instance=article)
    return state
