"""The clinician's screens: what they must review, and one review at a time."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import TaskState

from reader.changes import document_diff

from . import rules, selectors
from .forms import ReviewDecisionForm
from .models import MedicalReviewTask


def _may_view(user, article):
    if rules.is_assigned_reviewer(user=user, article=article):
        return True
    return article.permissions_for_user(user).can_edit()


def medical_review(request, task_state_id):
    task_state = get_object_or_404(TaskState.objects.select_related("revision"), pk=task_state_id)
    task = task_state.task.specific
    if not isinstance(task, MedicalReviewTask):
        raise PermissionDenied("This is not a medical review step.")
    article = task.article_under_review(task_state)
    if not _may_view(request.user, article):
        raise PermissionDenied(
            "Only the assigned reviewer and the article's editors can see this."
        )

    form = ReviewDecisionForm(request.POST or None)
    refusal = rules.medical_review_refusal(user=request.user, article=article)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            task.on_action(
                task_state,
                request.user,
                action,
                comment=form.cleaned_data["comment"],
                live_unsafe=form.cleaned_data["live_unsafe"],
            )
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect(request.path)
        if action == "approve":
            messages.success(request, f"Approved: '{article.title}' is live as you approved it.")
        elif form.cleaned_data["live_unsafe"]:
            messages.success(
                request,
                f"Taken down: '{article.title}' is no longer live, and it went back to its "
                "writer. The editors and the writer have been told.",
            )
        else:
            messages.success(
                request, f"Changes requested: '{article.title}' went back to its writer."
            )
        return redirect(reverse("wagtailadmin_home"))

    approval = selectors.approval_latest(page_id=article.pk)
    candidate = article.reader_document()
    preview = article.create_page_preview()
    diff = document_diff(approval.document if approval else None, candidate)
    return TemplateResponse(
        request,
        "workflows/medical_review.html",
        {
            "task_state": task_state,
            "article": article,
            "form": form,
            "in_progress": task_state.status == TaskState.STATUS_IN_PROGRESS,
            "live": type(article).objects.filter(pk=article.pk, live=True).exists(),
            "refusal": refusal,
            "approval": approval,
            "diff": diff,
            "changes": [field for field in diff if field["status"] != "same"],
            "reader_url": article.get_preview_url(request, preview.token),
            "history": task_state.workflow_state.task_states.select_related(
                "task", "finished_by"
            ).order_by("started_at"),
        },
    )
