from django.contrib import messages
from django.urls import include, path
from wagtail import hooks

from . import admin_gate, admin_takedown, audit, gate, urls
from .panels import AwaitingMedicalReviewPanel
from .roles import CLINICIANS


@hooks.register("register_log_actions")
def register_gate_log_actions(actions):
    for action, label, message in audit.ACTIONS:
        actions.register_action(action, label, message)
    for action, formatter in audit.FORMATTERS:
        actions.register_action(action)(formatter)


@hooks.register("before_publish_page")
def refuse_unapproved_publish(request, page):
    """The create, edit and revert views: the draft is saved; publishing is refused."""
    if admin_gate.is_gated(page):
        reason = gate.publish_refusal(page)
        if reason:
            return admin_gate.refused_publish_response(request, page, reason)
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_for_unapproved(menu_items, request, context):
    """Offer Publish only for an article whose draft its reviewer approved."""
    page = context.get("page")
    if page is None:
        parent = context.get("parent_page")
        unapproved = (
            context.get("view") == "create"
            and parent is not None
            and any(
                issubclass(model, gate.ClinicalGateMixin)
                for model in parent.specific_class.allowed_subpage_models()
            )
        )
    else:
        unapproved = admin_gate.is_gated(page) and (
            page.pk is None or gate.publish_refusal(page) is not None
        )
    if unapproved:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("after_copy_page")
def explain_copy_is_unpublished(request, page, new_page):
    if admin_gate.is_gated(new_page.specific):
        messages.info(
            request,
            f"'{new_page.title}' starts unpublished: a copy needs its own medical review "
            "before it can go live.",
        )


# Registered late so they replace Wagtail's own bulk publish and unpublish actions for pages.
hooks.register("register_bulk_action", admin_gate.GatedPublishBulkAction, order=100)
hooks.register("register_bulk_action", admin_takedown.TakeDownBulkAction, order=100)


@hooks.register("register_page_action_menu_item")
def offer_takedown_while_locked():
    """Unpublish stays in the edit view's menu while a review locks the article."""
    return admin_takedown.LockedUnpublishMenuItem()


@hooks.register("register_admin_urls")
def register_medical_review_urls():
    return [path("medical-review/", include(urls, namespace="workflows"))]


@hooks.register("construct_homepage_panels")
def add_medical_review_panel(request, panels):
    panels.append(AwaitingMedicalReviewPanel(request))
    if not (request.user.is_superuser or request.user.groups.exclude(name=CLINICIANS).exists()):
        # A clinician's reviews are all in their own panel; Wagtail's generic
        # "Awaiting your review" would list the same articles twice.
        panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
