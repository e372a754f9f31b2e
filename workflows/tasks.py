"""The medical step of the workflow: a thin Wagtail task over `workflows.rules`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import Task, TaskState

from reader.document import document_fingerprint

from . import audit, rules
from .forms import COMMENT_HELP, MedicalRejectForm
from .records import approval_record, rejection_record
from .takedown import article_take_down


class MedicalReviewRefused(PermissionDenied):
    """The user may not act on this medical review; the message says why."""


class MedicalReviewTask(Task):
    """The clinical step: only the article's assigned, eligible clinician may act.

    Every "may this user…" hook answers through `workflows.rules`, so the
    admin, the task and any API agree.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        app_label = "workflows"
        verbose_name = "Medical review task"
        verbose_name_plural = "Medical review tasks"

    @classmethod
    def get_description(cls):
        return "The article's assigned medical reviewer approves the exact text that goes live"

    @staticmethod
    def article_under_review(task_state):
        """The article as it is in the revision this task state reviews."""
        return task_state.revision.as_object()

    def _current_article(self, obj):
        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.task_id != self.pk:
            return None
        return self.article_under_review(task_state)

    def get_actions(self, obj, user):
        article = self._current_article(obj)
        if article is None or not rules.can_medically_review(user=user, article=article):
            return []
        return [
            ("reject", "Request changes", True),
            ("approve", "Approve", True),
        ]

    def user_can_access_editor(self, obj, user):
        article = self._current_article(obj)
        return article is not None and rules.is_assigned_reviewer(user=user, article=article)

    def locked_for_user(self, obj, user):
        # The text is frozen while the clinician reviews it: what they approve
        # is what they read. Writers who need a change cancel the workflow or
        # wait for the clinician's "Request changes".
        return True

    def get_form_for_action(self, action):
        if action == "reject":
            return MedicalRejectForm
        return super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
            "revision"
        )
        ids = [
            state.pk
            for state in states
            if rules.is_assigned_reviewer(user=user, article=self.article_under_review(state))
        ]
        return TaskState.objects.filter(pk__in=ids)

    def on_action(self, task_state, user, action_name, **kwargs):
        article = self.article_under_review(task_state)
        reason = rules.medical_review_refusal(user=user, article=article)
        if reason is None and action_name == "approve":
            reason = rules.stale_review_refusal(task_state=task_state)
        if reason is None and action_name == "reject" and not kwargs.get("comment", "").strip():
            reason = COMMENT_HELP
        if reason is not None:
            audit.refusal_log(
                page=article,
                user=user,
                action=action_name,
                reason=reason,
                revision=task_state.revision,
            )
            raise MedicalReviewRefused(reason)
        return self._perform(task_state, user, action_name, article=article, **kwargs)

    @transaction.atomic
    def _perform(self, task_state, user, action_name, *, article, live_unsafe=False, **kwargs):
        # Serialise concurrent decisions and edits on the same article.
        # The same rows, locked the same way, as the gate locks them (no lock-order deadlock).
        stored = type(article).objects.select_for_update().filter(pk=article.pk).first()
        task_state.refresh_from_db()
        reason = rules.decided_refusal(task_state=task_state)
        if reason is not None:
            raise MedicalReviewRefused(reason)
        comment = kwargs.get("comment", "")
        if action_name == "approve":
            approval_record(
                article=article, revision=task_state.revision, reviewer_user=user, comment=comment
            )
        elif action_name == "reject":
            taking_down = bool(live_unsafe) and stored is not None and stored.live
            rejected = rejection_record(
                article=article,
                revision=task_state.revision,
                reviewer_user=user,
                comment=comment,
                live_unsafe=taking_down,
            )
            if taking_down:
                if document_fingerprint(stored.reader_document()) != rejected.fingerprint:
                    # The text readers have is not the one under review: it is the
                    # one called unsafe, so its approvals are superseded too.
                    rejection_record(
                        article=stored,
                        revision=stored.live_revision or task_state.revision,
                        reviewer_user=user,
                        comment=comment,
                        live_unsafe=True,
                    )
                # Unpublishing is not a clinician's permission otherwise: the service
                # is told this is the reviewer's unsafe takedown, which it logs as such.
                article_take_down(article=stored, user=user, reason=comment, unsafe=True)
        return super().on_action(task_state, user, action_name, **kwargs)
