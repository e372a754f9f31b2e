"""Webhooks in the admin: endpoints (editors manage them) and the deliveries log (read-only)."""

from django import forms
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from . import views
from .events import EVENT_CHOICES
from .models import WebhookDelivery, WebhookEndpoint
from .permissions import EditorsOnlyPolicy

# Registered before the viewsets look their policies up.
register_permission_policy(
    WebhookEndpoint,
    EditorsOnlyPolicy(WebhookEndpoint, actions=("add", "change", "delete", "view")),
)
register_permission_policy(
    WebhookDelivery, EditorsOnlyPolicy(WebhookDelivery, actions=("view", "retry"))
)


class NoGroupPermissionsMixin:
    """The rule is group membership (see `permissions`), so nothing to grant per group."""

    def get_permissions_to_register(self):
        return Permission.objects.none()


class EndpointViewSet(NoGroupPermissionsMixin, ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    icon = "link-external"
    menu_label = "Endpoints"
    add_view_class = views.EndpointCreateView
    edit_view_class = views.EndpointEditView
    copy_view_enabled = False
    form_fields = ["name", "url", "events", "active"]
    list_display = [
        "name",
        "url",
        Column("event_labels", label="Events"),
        "active",
        Column("secret_hint", label="Secret"),
    ]
    list_filter = ["active"]
    search_fields = ["name", "url"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "events":
            return forms.MultipleChoiceField(
                choices=EVENT_CHOICES,
                widget=forms.CheckboxSelectMultiple,
                help_text=db_field.help_text,
            )
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "rotate-secret/<int:pk>/",
                views.SecretRotateView.as_view(),
                name="rotate_secret",
            ),
        ]


class DeliveryIndexView(ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "endpoint")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == WebhookDelivery.Status.FAILED and self.user_has_permission("retry"):
            buttons.append(
                Button(
                    "Retry",
                    icon_name="resubmit",
                    priority=40,
                    attrs={
                        "data-controller": "w-action",
                        "data-action": "w-action#post",
                        "data-w-action-url-value": reverse(
                            "webhook_deliveries:retry", args=[instance.pk]
                        ),
                    },
                )
            )
        return buttons


class DeliveryViewSet(NoGroupPermissionsMixin, ModelViewSet):
    """What was sent where, and how it went: read-only, but a failed delivery can be retried."""

    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "history"
    menu_label = "Deliveries"
    index_view_class = DeliveryIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = []
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        Column("last_status_code", label="Last response"),
        Column("last_error", label="Last error"),
        DateColumn("next_attempt_due", label="Next attempt"),
        DateColumn("queued_at", label="Queued"),
    ]
    list_filter = ["status", "endpoint"]
    inspect_view_fields = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "queued_at",
        "last_attempt_at",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("retry/<int:pk>/", views.DeliveryRetryView.as_view(), name="retry"),
        ]


class WebhooksViewSetGroup(ModelViewSetGroup):
    items = (EndpointViewSet, DeliveryViewSet)
    menu_icon = "link-external"
    menu_label = "Webhooks"
    menu_name = "webhooks"
    add_to_admin_menu = True


webhooks_viewset_group = WebhooksViewSetGroup()


@hooks.register("register_admin_viewset")
def register_webhooks_viewsets():
    return webhooks_viewset_group
