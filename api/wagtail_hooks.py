from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from content_models.models import Topic

from .keys import REVOKED
from .keys_admin import delivery_key_viewset
from .shared_changes import NOT_CLINICAL_CHANGED, topic_deletion_refusal


@hooks.register("register_log_actions")
def register_delivery_log_actions(actions):
    actions.register_action(
        NOT_CLINICAL_CHANGED,
        "Bio or photo changed",
        "Bio or photo changed: shown at once on live articles (not part of any approval)",
    )
    actions.register_action(REVOKED, "Revoke delivery key", "Delivery key revoked")


@hooks.register("register_admin_viewset")
def register_delivery_key_viewset():
    return delivery_key_viewset


@hooks.register("before_delete_snippet")
def refuse_deleting_topics_shown_live(request, instances):
    """The snippet delete views: say why a topic on live articles stays, and go back."""
    for instance in instances:
        if isinstance(instance, Topic):
            reason = topic_deletion_refusal(topic_id=instance.pk)
            if reason is not None:
                messages.error(request, f"“{instance.name}” was not deleted. {reason}")
                return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None
