"""Writes that matter in the clinical workflow."""

from django.db import transaction
from django.utils import timezone

from .fingerprints import content_fingerprint
from .models import MedicalApproval


@transaction.atomic
def approval_record(*, article, revision, reviewer_user, comment=""):
    """Record that `reviewer_user` approved `article` exactly as it is in `revision`.

    `article` is the revision's content (``revision.as_object()``); the caller
    has checked the rules.
    """
    reviewer = article.medical_reviewer
    now = timezone.now()
    return MedicalApproval.objects.create(
        page_id=article.pk,
        revision=revision,
        fingerprint=content_fingerprint(article),
        reviewer=reviewer_user,
        reviewer_profile_id=reviewer.pk,
        reviewer_name=reviewer.name,
        reviewer_credentials=reviewer.credentials,
        reviewer_specialty=reviewer.specialty,
        reviewer_organization=reviewer.organization,
        credentials_verified_until=reviewer.credentials_verified_until,
        approved_at=now,
        next_review_due=MedicalApproval.next_due_from(now),
        comment=comment or "",
    )


@transaction.atomic
def medical_review_workflow_ensure(*, page, editors_group):
    """Create (or repair) the `Medical review` workflow and assign it to `page`.

    Idempotent: running it again changes nothing on an install that has it.
    Tasks, in order: `Editorial review` (the editors group) then `Medical review`.
    """
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from .models import MedicalReviewTask
    from .roles import EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME, WORKFLOW_NAME

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
def rereview_start(*, article, user=None):
    """Send a live article whose review is due back through its workflow.

    Returns the new workflow state, or None when a review is already under way
    or no workflow applies. The assigned reviewer is told the review is due.
    One transaction: the workflow, the notice and the webhook event go together.
    """
    from .notifications import rereview_due
    from .signals import review_overdue

    if article.workflow_in_progress:
        return None
    workflow = article.get_workflow()
    if workflow is None:
        return None
    state = workflow.start(article, user)
    rereview_due(article=article)
    review_overdue.send(sender=type(article), instance=article)
    return state
