"""Admin views beyond Wagtail's generic ones: the secret is shown once, in full."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import View
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button

from .models import WebhookDelivery, WebhookEndpoint
from .services import delivery_retry, endpoint_secret_rotate

SECRET_TEMPLATE = "webhooks/secret.html"


def secret_response(request, *, endpoint, secret, created):
    """The one page that shows `secret` in full; never cached."""
    response = TemplateResponse(
        request,
        SECRET_TEMPLATE,
        {
            "endpoint": endpoint,
            "secret": secret,
            "created": created,
            "page_title": f"Signing secret for {endpoint.name}",
            "header_title": f"Signing secret for {endpoint.name}",
            "header_icon": "key",
            "index_url": reverse("webhook_endpoints:index"),
        },
    )
    add_never_cache_headers(response)
    return response


class EndpointCreateView(generic.CreateView):
    def save_action(self):
        if self.expects_json_response:
            return super().save_action()
        return secret_response(
            self.request, endpoint=self.object, secret=self.object.secret, created=True
        )


class EndpointEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission_for_instance("change", self.object):
            buttons.append(
                Button(
                    "Rotate secret",
                    url=reverse("webhook_endpoints:rotate_secret", args=[self.object.pk]),
                    icon_name="key",
                    priority=15,
                )
            )
        return buttons


class SecretRotateView(generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, View):
    """GET asks for confirmation; POST replaces the secret and shows the new one once."""

    model = WebhookEndpoint
    permission_required = "change"
    template_name = "webhooks/rotate_secret.html"
    header_icon = "key"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.endpoint = get_object_or_404(WebhookEndpoint, pk=kwargs["pk"])

    def get_page_title(self):
        return f"Rotate the signing secret of {self.endpoint.name}"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(endpoint=self.endpoint))

    def post(self, request, *args, **kwargs):
        secret = endpoint_secret_rotate(endpoint=self.endpoint)
        return secret_response(request, endpoint=self.endpoint, secret=secret, created=False)


class DeliveryRetryView(generic.PermissionCheckedMixin, View):
    """POST: send a failed delivery again, with a fresh set of attempts."""

    model = WebhookDelivery
    permission_required = "retry"
    http_method_names = ["post"]

    def post(self, request, pk):
        delivery = get_object_or_404(WebhookDelivery, pk=pk)
        if delivery_retry(delivery=delivery):
            messages.success(request, f"“{delivery}” is queued again.")
        else:
            messages.warning(request, f"“{delivery}” has not failed, so it was left as it is.")
        return redirect("webhook_deliveries:index")
