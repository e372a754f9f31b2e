"""Two workers on PostgreSQL never wait for, or take, each other's delivery."""

import threading

import pytest
from django.db import connection, connections, transaction

from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.services import delivery_claim_next

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite: one worker)"
    ),
]


def queued(count):
    endpoint = WebhookEndpoint.objects.create(name="Partner", url="http://127.0.0.1:9/")
    deliveries = []
    for number in range(count):
        event = WebhookEvent.objects.create(
            event_type="article.published", article_id=number, article_title="A", body="{}"
        )
        deliveries.append(WebhookDelivery.objects.create(event=event, endpoint=endpoint))
    return deliveries


def test_a_worker_skips_the_delivery_another_worker_has_locked():
    first, second = queued(2)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        claimed = delivery_claim_next()
    finally:
        release.set()
        thread.join()
    assert claimed.pk == second.pk
