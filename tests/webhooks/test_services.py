"""Retries: backoff with jitter, a limit on attempts and on age, one worker per delivery."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.workflows.flow import approve_all
from webhooks.models import WebhookDelivery
from webhooks.services import backoff_delay, delivery_claim_next, delivery_retry

# The receivers listen on this machine.
pytestmark = pytest.mark.usefixtures("private_targets_allowed")


class Lowest:
    def uniform(self, low, high):
        return low


class Highest:
    def uniform(self, low, high):
        return high


def seconds_between(attempt):
    """The shortest and the longest wait after failed attempt number `attempt`."""
    return tuple(
        backoff_delay(attempt=attempt, rng=rng).total_seconds() for rng in (Lowest(), Highest())
    )


def test_backoff_doubles_with_jitter_up_to_a_ceiling(webhook_options):
    webhook_options(WEBHOOK_BACKOFF_BASE_SECONDS=30, WEBHOOK_BACKOFF_MAX_SECONDS=3600)
    ranges = [seconds_between(attempt) for attempt in (1, 2, 3, 4, 8, 20)]
    assert ranges == [
        (15, 30),
        (30, 60),
        (60, 120),
        (120, 240),
        (1800, 3600),  # 30 * 2**7 would be 3840: capped
        (1800, 3600),
    ]


def deliver():
    call_command("deliver_webhooks", "--once")


def make_due_now():
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_after_max_attempts_the_delivery_is_failed_and_left_alone(
    article, people, make_endpoint, receiver, webhook_options
):
    webhook_options(WEBHOOK_MAX_ATTEMPTS=2)
    make_endpoint(url=receiver.url)
    receiver.status = 500
    approve_all(article, people)
    deliver()
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
    make_due_now()
    deliver()
    failed = WebhookDelivery.objects.get()
    assert failed.status == WebhookDelivery.Status.FAILED
    assert failed.attempts == 2
    assert failed.last_status_code == 500
    assert failed.last_error == "Gave up after 2 attempt(s). Last: the receiver answered 500"

    make_due_now()
    deliver()
    assert len(receiver.requests) == 2


def test_a_delivery_older_than_the_max_age_fails_instead_of_retrying(
    article, people, make_endpoint, receiver, webhook_options
):
    webhook_options(WEBHOOK_MAX_AGE_HOURS=1)
    make_endpoint(url=receiver.url)
    receiver.status = 500
    approve_all(article, people)
    WebhookDelivery.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=2))
    deliver()
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED


def test_a_failed_delivery_can_be_queued_again(
    article, people, make_endpoint, receiver, webhook_options
):
    webhook_options(WEBHOOK_MAX_ATTEMPTS=1)
    make_endpoint(url=receiver.url)
    receiver.status = 500
    approve_all(article, people)
    deliver()
    failed = WebhookDelivery.objects.get()
    assert failed.status == WebhookDelivery.Status.FAILED

    receiver.status = 200
    assert delivery_retry(delivery=failed)
    deliver()
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_a_claimed_delivery_cannot_be_claimed_again(article, people, make_endpoint):
    make_endpoint()
    approve_all(article, people)
    claimed = delivery_claim_next()
    assert claimed.status == WebhookDelivery.Status.SENDING
    assert claimed.attempts == 1
    assert delivery_claim_next() is None
