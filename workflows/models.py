from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Page, Revision, Task, TaskState

from cms.options import vetted_option

from . import rules


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

    def covering(self, *, page_id, fingerprint, reviewer_user_id):
        """Approvals of exactly this content of this page by this reviewer, newest first."""
        return self.filter(
            page_id=page_id, fingerprint=fingerprint, reviewer_id=reviewer_user_id
        ).order_by("-approved_at", "-pk")


class MedicalApproval(models.Model):
    """An immutable record that a clinician approved one exact version of one article.

    The record keeps the reviewer's credentials as they were at that moment, so
    a later change to the reviewer's profile does not rewrite history. Page and
    revision are kept as plain references: the record outlives either.
    """

    page = models.ForeignKey(
        Page, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medical_approvals"
    )
    reviewer_profile_id = models.PositiveBigIntegerField()
    reviewer_name = models.CharField(max_length=150)
    reviewer_credentials = models.CharField(max_length=100)
    reviewer_specialty = models.CharField(max_length=150, blank=True)
    reviewer_organization = models.CharField(max_length=150, blank=True)
    credentials_verified_until = models.DateField()
    approved_at = models.DateTimeField(default=timezone.now)
    next_review_due = models.DateField()
    comment = models.TextField(blank=True)

    objects = MedicalApprovalQuerySet.as_manager()

    class Meta:
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


class MedicalReviewRefused(PermissionDenied):
    """The user may not act on this medical review; the message says why."""


class MedicalReviewTask(Task):
    """The clinical step: only the article's assigned, eligible clinician may act.

    Every "may this user…" hook answers through `workflows.rules`, so the
    admin, the task and any API agree.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
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
        from . import gate

        article = self.article_under_review(task_state)
        reason = rules.medical_review_refusal(user=user, article=article)
        if reason is None and action_name == "approve":
            reason = gate.stale_review_reason(task_state)
        if reason is not None:
            gate.refusal_log(
                page=article,
                user=user,
                action=action_name,
                reason=reason,
                revision=task_state.revision,
            )
            raise MedicalReviewRefused(reason)
        return self._perform(task_state, user, action_name, article=article, **kwargs)

    @transaction.atomic
    def _perform(self, task_state, user, action_name, *, article, **kwargs):
        from . import services

        # Serialise concurrent decisions and edits on the same article.
        Page.objects.select_for_update().filter(pk=article.pk).first()
        task_state.refresh_from_db()
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise MedicalReviewRefused(
                "This review has already been decided. Reload the page to see its status."
            )
        if action_name == "approve":
            services.approval_record(
                article=article,
                revision=task_state.revision,
                reviewer_user=user,
                comment=kwargs.get("comment", ""),
            )
        return super().on_action(task_state, user, action_name, **kwargs)
