from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Wires the apps together. Listed last in INSTALLED_APPS so it runs after Wagtail."""

    name = "cms"
    verbose_name = "Vetted"

    def ready(self):
        from api.documents import receivers_connect as document_receivers_connect
        from webhooks.receivers import receivers_connect as webhook_receivers_connect
        from workflows.gate import receivers_connect as gate_receivers_connect
        from workflows.notifications import receivers_connect

        gate_receivers_connect()
        receivers_connect()
        # Delivery documents first: a webhook announces content the API already serves.
        document_receivers_connect()
        webhook_receivers_connect()
