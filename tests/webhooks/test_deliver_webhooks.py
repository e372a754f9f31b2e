"""The worker against a real receiver on 127.0.0.1: signed, retried, never lost, sent once."""

import datetime
import hashlib
import hmac
import json
import os
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.workflows.flow import approve_all
from webhooks.models import WebhookDelivery

# The receivers listen on this machine (tests/webhooks/test_targets.py: refused by default).
pytestmark = pytest.mark.usefixtures("private_targets_allowed")


def deliver(*args):
    call_command("deliver_webhooks", *args)


def delivery():
    return WebhookDelivery.objects.select_related("event", "endpoint").get()


def make_due_now():
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_an_approved_article_reaches_the_receiver_signed(article, people, make_endpoint, receiver):
    endpoint = make_endpoint(url=receiver.url)
    approve_all(article, people)
    deliver("--once")

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    # What a receiver does with the secret it was given: recompute over the raw body.
    message = headers["X-Vetted-Timestamp"].encode() + b"." + body
    expected = hmac.new(endpoint.secret.encode(), message, hashlib.sha256).hexdigest()
    assert headers["X-Vetted-Signature"] == f"sha256={expected}"
    event = json.loads(body)
    assert headers["X-Vetted-Event-Id"] == event["id"]
    assert headers["Content-Type"] == "application/json"
    assert event["type"] == "article.published"
    assert event["data"]["article"]["slug"] == "what-is-her2"
    sent = delivery()
    assert sent.status == WebhookDelivery.Status.DELIVERED
    assert (sent.attempts, sent.last_status_code) == (1, 200)


def test_a_receiver_that_is_down_gets_the_event_once_it_is_back(
    article, people, make_endpoint, receiver
):
    make_endpoint(url=receiver.url)
    receiver.stop()
    approve_all(article, people)

    deliver("--once")
    waiting = delivery()
    assert waiting.status == WebhookDelivery.Status.PENDING
    assert waiting.attempts == 1
    assert waiting.next_attempt_at > timezone.now()
    assert waiting.last_error == "could not connect"

    receiver.start()
    deliver("--once")  # not due yet: the worker waits out the backoff
    assert receiver.requests == []

    make_due_now()
    deliver("--once")
    deliver("--once")
    assert len(receiver.requests) == 1
    sent = delivery()
    assert sent.status == WebhookDelivery.Status.DELIVERED
    assert sent.attempts == 2
    assert sent.last_error == ""


def test_an_error_response_is_not_a_delivery(article, people, make_endpoint, receiver):
    make_endpoint(url=receiver.url)
    receiver.status = 503
    approve_all(article, people)
    deliver("--once")
    waiting = delivery()
    assert waiting.status == WebhookDelivery.Status.PENDING
    assert waiting.last_status_code == 503

    receiver.status = 204
    make_due_now()
    deliver("--once")
    assert delivery().status == WebhookDelivery.Status.DELIVERED
    # Every attempt carried the same event: receivers deduplicate on its id.
    ids = {r["headers"]["X-Vetted-Event-Id"] for r in receiver.requests}
    assert len(receiver.requests) == 2 and len(ids) == 1


def test_a_delivery_left_by_a_worker_that_died_is_sent_again(
    article, people, make_endpoint, receiver
):
    make_endpoint(url=receiver.url)
    approve_all(article, people)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    WebhookDelivery.objects.update(
        status=WebhookDelivery.Status.SENDING,
        attempts=1,
        last_attempt_at=long_ago,
        claimed_until=long_ago + datetime.timedelta(minutes=2),
    )
    deliver("--once")
    assert len(receiver.requests) == 1
    sent = delivery()
    assert sent.status == WebhookDelivery.Status.DELIVERED
    assert sent.attempts == 2


def test_a_delivery_another_worker_is_sending_is_left_to_it(
    article, people, make_endpoint, receiver
):
    make_endpoint(url=receiver.url)
    approve_all(article, people)
    WebhookDelivery.objects.update(
        status=WebhookDelivery.Status.SENDING,
        attempts=1,
        claimed_until=timezone.now() + datetime.timedelta(minutes=2),
    )
    deliver("--once")
    assert receiver.requests == []
    assert delivery().status == WebhookDelivery.Status.SENDING


def test_an_inactive_endpoint_is_sent_nothing_until_it_is_active_again(
    article, people, make_endpoint, receiver
):
    endpoint = make_endpoint(url=receiver.url)
    approve_all(article, people)
    endpoint.active = False
    endpoint.save()
    deliver("--once")
    assert receiver.requests == []
    endpoint.active = True
    endpoint.save()
    deliver("--once")
    assert len(receiver.requests) == 1


class Interrupted(Exception):
    pass


@pytest.fixture
def guarded_signals():
    """Fail the test (instead of killing pytest or hanging) if the worker ignores SIGTERM."""

    def unhandled(signum, frame):
        raise Interrupted(f"signal {signum} reached the test, not the worker")

    previous_term = signal.signal(signal.SIGTERM, unhandled)
    previous_alarm = signal.signal(signal.SIGALRM, unhandled)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous_alarm)
    signal.signal(signal.SIGTERM, previous_term)


def test_sigterm_stops_the_worker_after_the_delivery_in_hand(
    article, people, make_endpoint, receiver, guarded_signals, capsys
):
    first = make_endpoint(url=receiver.url, name="First")
    second = make_endpoint(url=receiver.url, name="Second")
    approve_all(article, people)
    receiver.on_request = lambda: os.kill(os.getpid(), signal.SIGTERM)

    deliver("--poll-seconds", "0.1")  # runs until told to stop

    assert len(receiver.requests) == 1
    statuses = dict(WebhookDelivery.objects.values_list("endpoint_id", "status"))
    assert statuses == {
        first.pk: WebhookDelivery.Status.DELIVERED,
        second.pk: WebhookDelivery.Status.PENDING,
    }
    assert "stopping" in capsys.readouterr().out
