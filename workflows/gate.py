"""The publishing gate: every live article shows content its assigned reviewer approved.

The gate sits where every publish path ends: `ClinicalGateMixin.save()`
writes the live row, so whatever path makes content live (the admin, bulk
actions, scheduled publishing, revert, copy, aliases, `revision.publish()`,
`page.save()`, a workflow finishing) crosses it. `publish()` asks the same
question earlier, before Wagtail opens its own transactions, so a refusal is
logged and nothing has been touched. The admin's hooks ask it earlier still,
to offer only what will succeed.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from wagtail.log_actions import log

from .fingerprints import content_fingerprint
from .signals import live_content_changed

REFUSED_ACTION = "vetted.publish_refused"
HELD_ACTION = "vetted.held_for_review"
REVIEW_REFUSED_ACTION = "vetted.review_refused"


class PublishRefused(PermissionDenied):
    """A publish the clinical gate refused; the message names the reason."""


def covering_approval(page):
    """The newest approval of exactly `page`'s content by its assigned reviewer, or None."""
    from .models import MedicalApproval

    reviewer = getattr(page, "medical_reviewer", None)
    if page.pk is None or reviewer is None:
        return None
    return (
        MedicalApproval.objects.covering(
            page_id=page.pk,
            fingerprint=content_fingerprint(page),
            reviewer_user_id=reviewer.user_id,
        )
        .only("pk", "approved_at", "next_review_due", "reviewer_profile_id")
        .first()
    )


def publish_refusal(page):
    """Why `page`'s content may not go live, or None when its assigned reviewer approved it."""
    if getattr(page, "medical_reviewer", None) is None:
        return (
            "This article has no medical reviewer, so it cannot go live. "
            "Assign one and submit the article for review."
        )
    if covering_approval(page) is None:
        return (
            "This version has not been approved by the article's medical reviewer, "
            "so it cannot go live. Submit it for review; it is published when the "
            "reviewer approves it."
        )
    return None


def refusal_log(*, page, reason, user=None, action="publish", revision=None):
    """Write a refusal to the page's audit log (when the page exists)."""
    if page.pk is None:
        return
    log(
        instance=page,
        action=REVIEW_REFUSED_ACTION if action in ("approve", "reject") else REFUSED_ACTION,
        user=user if getattr(user, "pk", None) else None,
        data={"reason": reason, "attempted": action},
        revision=revision,
    )


def refuse(*, page, reason, user=None, revision=None):
    refusal_log(page=page, reason=reason, user=user, revision=revision)
    raise PublishRefused(reason)


def stale_review_reason(task_state):
    """Why approving `task_state` would approve something other than the latest text."""
    latest_id = (
        task_state.revision.__class__.objects.filter(
            base_content_type_id=task_state.revision.base_content_type_id,
            object_id=task_state.revision.object_id,
        )
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest_id != task_state.revision_id:
        return (
            "The article was edited after this review started, so this version is no "
            "longer the latest. Ask the editor to restart the workflow on the new version."
        )
    return None


def _writes_live_content(update_fields, watched):
    if update_fields is None:
        return True
    names = {name.removesuffix("_id") for name in update_fields}
    return bool(names & watched)


class ClinicalGateMixin(models.Model):
    """Mixed into a page model that must not go live without clinical approval.

    The page lists the fields a clinician vouches for in ``reviewed_fields`` and
    receives the matching approval through ``apply_approval(approval)``.
    """

    reviewed_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is None or self.alias_of_id:
            # A new page (including a copy) and an alias start unpublished: an
            # approval belongs to one article, so they need their own review.
            held = self.live
            self.live = False
            if held:
                self.has_unpublished_changes = True
            result = super().save(*args, **kwargs)
            if held:
                log(
                    instance=self,
                    action=HELD_ACTION,
                    data={
                        "reason": "A new article, copy or alias starts unpublished "
                        "and needs its own medical review."
                    },
                )
            return result

        watched = {"live", "alias_of", *self.reviewed_fields}
        if not _writes_live_content(update_fields, watched):
            return super().save(*args, **kwargs)
        if self.live:
            subject = self if update_fields is None else self._state_after(update_fields)
            approval = covering_approval(subject)
            if approval is None:
                refuse(page=self, reason=publish_refusal(subject))
            if update_fields is None:
                self.apply_approval(approval)
        with transaction.atomic():
            was_live = type(self).objects.filter(pk=self.pk).values_list("live", flat=True).first()
            result = super().save(*args, **kwargs)
            if was_live or self.live:
                live_content_changed.send(
                    sender=type(self), instance=self, was_live=bool(was_live), is_live=self.live
                )
        return result

    def _state_after(self, update_fields):
        """The row as it will be once `update_fields` are written over the stored one."""
        stored = type(self).objects.get(pk=self.pk)
        for name in update_fields:
            field = self._meta.get_field(name.removesuffix("_id"))
            if field.concrete:
                setattr(stored, field.attname, getattr(self, field.attname))
        return stored

    def publish(self, revision, user=None, **kwargs):
        candidate = revision.as_object()
        reason = publish_refusal(candidate)
        if reason is not None:
            refuse(page=self, reason=reason, user=user, revision=revision)
        return super().publish(revision, user=user, **kwargs)

    def apply_approval(self, approval):
        """Stamp review metadata from `approval`; pages override to name their fields."""
