"""Early, friendly refusals in the admin, on top of the gate (never instead of it)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction

from . import audit, gate


def is_gated(page):
    return isinstance(page, gate.ClinicalGateMixin)


def draft_refusal(page):
    """Why the latest draft of `page` cannot be published now, or None."""
    return gate.publish_refusal(page.get_latest_revision_as_object())


def refused_publish_response(request, page, reason):
    """Keep the saved draft, say why it is not live, and return to the editor."""
    audit.refusal_log(page=page, reason=reason, user=request.user, revision=page.latest_revision)
    messages.error(request, f"Saved as a draft, not published. {reason}")
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


class GatedPublishBulkAction(PublishBulkAction):
    """Bulk publish that offers only articles whose draft is approved.

    Pages it cannot publish are listed on the confirmation screen as not
    publishable; draft descendants that are not approved are skipped (and
    their refusal logged) instead of failing the whole batch.
    """

    def check_perm(self, page):
        if not super().check_perm(page):
            return False
        specific = page.specific
        return not (is_gated(specific) and draft_refusal(specific))

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, **kwargs):
        published = 0
        skipped_descendants = 0
        for page in objects:
            revision = page.get_latest_revision() or page.specific.save_revision(user=user)
            revision.publish(user=user)
            published += 1
            if not include_descendants:
                continue
            for descendant in page.get_descendants().not_live().specific().iterator():
                if user is not None and not descendant.permissions_for_user(user).can_publish():
                    continue
                if is_gated(descendant):
                    reason = draft_refusal(descendant)
                    if reason:
                        audit.refusal_log(page=descendant, reason=reason, user=user)
                        skipped_descendants += 1
                        continue
                (descendant.get_latest_revision() or descendant.save_revision(user=user)).publish(
                    user=user
                )
                published += 1
        return published, skipped_descendants

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = f"{num_parent_objects} page(s) published."
        if num_child_objects:
            message += (
                f" {num_child_objects} article(s) were left unpublished: they need their "
                "medical reviewer's approval first."
            )
        return message
