"""Reads for webhooks."""

from .models import WebhookEndpoint


def endpoints_subscribed(*, event_type):
    """Active endpoints that asked for `event_type`.

    Filtered in Python: SQLite cannot query inside a JSON list, and endpoints are few.
    """
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(active=True)
        if endpoint.subscribes_to(event_type)
    ]
