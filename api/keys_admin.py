"""Delivery keys in the admin (Settings → Delivery API keys): issue, rename, re-rate, revoke.

Who may: superusers, and anyone a group gives the "add" or "change delivery
API key" permission. A key's token is shown once, on the page that answers
its creation, and never again: it is not stored. Keys are revoked, never
deleted, so who issued one, when it was last used and who revoked it stay on
record.
"""

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import View
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import keys
from .keys import DeliveryKey

TOKEN_TEMPLATE = "api/delivery_keys/token.html"
REVOKE_TEMPLATE = "api/delivery_keys/revoke.html"


class RevokeNotDeletePolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody deletes a key (revoking is "change")."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


# Registered before the viewset looks its policy up.
register_permission_policy(DeliveryKey, RevokeNotDeletePolicy(DeliveryKey))


def _revoke_url(key):
    return reverse("delivery_keys:revoke", args=[key.pk])


class DeliveryKeyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("created_by")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.revoked_at is None and self.user_has_permission("change"):
            buttons.append(Button("Revoke", url=_revoke_url(instance), icon_name="bin"))
        return buttons


class DeliveryKeyCreateView(generic.CreateView):
    def save_instance(self):
        key, self.token = keys.delivery_key_create(
            name=self.form.cleaned_data["name"],
            requests_per_minute=self.form.cleaned_data["requests_per_minute"],
            created_by=self.request.user,
        )
        return key

    def save_action(self):
        """The one page that shows the token; never cached."""
        response = TemplateResponse(
            self.request,
            TOKEN_TEMPLATE,
            {
                "key": self.object,
                "token": self.token,
                "page_title": f"Delivery key for {self.object.name}",
                "header_title": f"Delivery key for {self.object.name}",
                "header_icon": "key",
                "index_url": reverse("delivery_keys:index"),
            },
        )
        add_never_cache_headers(response)
        return response


class DeliveryKeyEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.revoked_at is None and self.user_has_permission("change"):
            buttons.append(
                Button("Revoke", url=_revoke_url(self.object), icon_name="bin", priority=15)
            )
        return buttons


class DeliveryKeyRevokeView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, View
):
    """GET asks for confirmation; POST revokes the key."""

    model = DeliveryKey
    permission_required = "change"
    template_name = REVOKE_TEMPLATE
    header_icon = "key"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.key = get_object_or_404(DeliveryKey, pk=kwargs["pk"])

    def get_page_title(self):
        return f"Revoke the delivery key {self.key.name}"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(key=self.key, seconds=keys.KEY_SECONDS)
        )

    def post(self, request, *args, **kwargs):
        if keys.delivery_key_revoke(key=self.key, user=request.user):
            messages.success(
                request,
                f"“{self.key.name}” is revoked: requests with it are refused from now on.",
            )
        else:
            messages.warning(request, f"“{self.key.name}” was already revoked.")
        return redirect("delivery_keys:index")


class DeliveryKeyViewSet(ModelViewSet):
    model = DeliveryKey
    name = "delivery_keys"
    icon = "key"
    menu_label = "Delivery API keys"
    add_to_settings_menu = True
    index_view_class = DeliveryKeyIndexView
    add_view_class = DeliveryKeyCreateView
    edit_view_class = DeliveryKeyEditView
    copy_view_enabled = False
    form_fields = ["name", "requests_per_minute"]
    list_display = [
        "name",
        Column("hint", label="Key"),
        Column("requests_per_minute", label="Requests per minute"),
        Column("status", label="Status"),
        DateColumn("last_used_at", label="Last used"),
        UserColumn("created_by", label="Created by"),
        DateColumn("created_at", label="Created"),
    ]
    search_fields = ["name", "token_hint"]

    def get_permissions_to_register(self):
        delete = get_permission_codename("delete", DeliveryKey._meta)
        return super().get_permissions_to_register().exclude(codename=delete)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<int:pk>/", DeliveryKeyRevokeView.as_view(), name="revoke"),
        ]


delivery_key_viewset = DeliveryKeyViewSet()
