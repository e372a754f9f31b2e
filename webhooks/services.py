"""Writes for webhooks: recording events in the outbox, and sending them.

The outbox: `event_record` writes an event and one delivery per subscribed
endpoint in the caller's transaction, so an event exists exactly when the
change it describes was committed. Workers (`manage.py deliver_webhooks`, or
the task worker's `webhooks.tasks.deliveries_send`, enqueued once the change
commits) send deliveries outside any transaction:

1. `delivery_claim_next` takes one due delivery, marks it ``sending`` with a
   lease and counts the attempt, and commits at once. On PostgreSQL the
   candidate row is locked with ``SKIP LOCKED``, so workers never wait on each
   other; on every database the claim is a conditional update that only one
   worker can win.
2. `delivery_send` POSTs the stored body, signed, with timeouts, to an address
   `webhooks.targets` allows (public only, unless private targets are allowed),
   following no redirect.
3. `delivery_outcome_record` marks it ``delivered`` only on a 2xx; otherwise it
   is due again after a backoff, or ``failed`` once it ran out of attempts or time.

A worker that dies between 1 and 3 leaves the delivery ``sending``; once its
lease runs out it is due again. So an event can reach a receiver more than
once (at least once, never lost): receivers deduplicate on the event id.
"""

import datetime
import logging
import random
import uuid

import requests
from django.db import transaction
from django.utils import timezone

from . import signing
from .events import event_body
from .models import WebhookDelivery, WebhookEvent, secret_generate
from .options import webhook_option
from .selectors import endpoints_subscribed
from .targets import TargetUnusable
from .transport import failure_reason, response_reason

logger = logging.getLogger(__name__)

USER_AGENT = "Vetted-Webhooks/1.0"
ERROR_MAX_LENGTH = 500


@transaction.atomic
def event_record(*, event_type, article, data):
    """Queue `event_type` about `article` for every active endpoint subscribed to it.

    Runs inside the caller's transaction: if that rolls back, so does the event.
    Returns the event, or None when no endpoint wants it.
    """
    endpoints = endpoints_subscribed(event_type=event_type)
    if not endpoints:
        return None
    event_id = uuid.uuid4()
    created_at = timezone.now()
    event = WebhookEvent.objects.create(
        id=event_id,
        event_type=event_type,
        article_id=article.pk,
        article_title=article.title[:255],
        body=event_body(
            event_id=event_id, event_type=event_type, created_at=created_at, data=data
        ),
        created_at=created_at,
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event=event, endpoint=endpoint, next_attempt_at=created_at, queued_at=created_at
        )
        for endpoint in endpoints
    )
    # Imported here: the task module sends through this one.
    from .tasks import deliveries_send_soon

    deliveries_send_soon()
    return event


def backoff_delay(*, attempt, rng=random):
    """How long to wait after failed attempt number `attempt` (1, 2, …).

    Exponential, capped, with "equal jitter": somewhere between half and all of
    ``BASE * 2**(attempt-1)``, so receivers coming back up are not hit by every
    queued delivery at the same moment.
    """
    base = webhook_option("WEBHOOK_BACKOFF_BASE_SECONDS")
    ceiling = min(webhook_option("WEBHOOK_BACKOFF_MAX_SECONDS"), base * 2 ** (attempt - 1))
    return datetime.timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))


def delivery_claim_next(*, now=None):
    """Claim the next due delivery for this worker, or return None when nothing is due."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.due(now=now)
    with transaction.atomic():
        candidates = (
            due.select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "attempts")[:5]
        )
        for pk, attempts in candidates:
            # Only one worker's update can match: the others see attempts moved on.
            claimed = due.filter(pk=pk, attempts=attempts).update(
                status=WebhookDelivery.Status.SENDING,
                attempts=attempts + 1,
                claimed_until=now
                + datetime.timedelta(seconds=webhook_option("WEBHOOK_LEASE_SECONDS")),
                last_attempt_at=now,
            )
            if claimed:
                return WebhookDelivery.objects.select_related("event", "endpoint").get(pk=pk)
    return None


def delivery_send(*, delivery, session):
    """POST `delivery`'s event to its endpoint; returns ``(status_code or None, reason)``,
    the reason "" for a delivery and otherwise in plain words for the deliveries log.

    `session` comes from `webhooks.transport.session_create`, which checks the
    address it connects to. Call this outside any transaction: nothing is locked
    while the receiver answers.
    """
    endpoint = delivery.endpoint
    body = delivery.event.body.encode()
    headers = signing.signed_headers(
        secret=endpoint.secret,
        body=body,
        event_id=delivery.event_id,
        event_type=delivery.event.event_type,
    )
    headers["User-Agent"] = USER_AGENT
    try:
        response = session.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=(
                webhook_option("WEBHOOK_CONNECT_TIMEOUT_SECONDS"),
                webhook_option("WEBHOOK_READ_TIMEOUT_SECONDS"),
            ),
            # A redirect is not an acknowledgement, and must not carry the event elsewhere.
            allow_redirects=False,
            # The response body is not needed: don't read an endless one.
            stream=True,
        )
    except TargetUnusable as unusable:
        return None, str(unusable)
    except requests.RequestException as error:
        # The exception's own text (addresses, errno) is for operators, not the admin.
        logger.warning("Webhook delivery %s to %s failed: %r", delivery.pk, endpoint.url, error)
        return None, failure_reason(error)
    with response:
        return response.status_code, response_reason(response.status_code)


def delivery_outcome_record(*, delivery, status_code, error, now=None, rng=random):
    """Record how the attempt that `delivery` was claimed for went.

    Returns False if the claim was lost meanwhile (the lease ran out and another
    worker took the delivery over): that worker's outcome counts.
    """
    now = now or timezone.now()
    attempt = delivery.attempts
    changes = {"claimed_until": None, "last_status_code": status_code, "last_error": error}
    if status_code is not None and 200 <= status_code < 300:
        changes.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now, last_error="")
    else:
        next_attempt_at = now + backoff_delay(attempt=attempt, rng=rng)
        give_up_at = delivery.queued_at + datetime.timedelta(
            hours=webhook_option("WEBHOOK_MAX_AGE_HOURS")
        )
        if attempt >= webhook_option("WEBHOOK_MAX_ATTEMPTS") or next_attempt_at > give_up_at:
            changes.update(
                status=WebhookDelivery.Status.FAILED,
                last_error=f"Gave up after {attempt} attempt(s). Last: {error}"[:ERROR_MAX_LENGTH],
            )
        else:
            changes.update(status=WebhookDelivery.Status.PENDING, next_attempt_at=next_attempt_at)
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.SENDING, attempts=attempt
        ).update(**changes)
    )


def delivery_attempt(*, session, now=None):
    """Claim, send and record one due delivery; returns it, or None when nothing is due."""
    delivery = delivery_claim_next(now=now)
    if delivery is None:
        return None
    if delivery.attempts > webhook_option("WEBHOOK_MAX_ATTEMPTS"):
        # Its last attempt was cut short by a worker that died: no more tries.
        status_code, error = None, "The worker stopped during the last attempt."
    else:
        status_code, error = delivery_send(delivery=delivery, session=session)
    delivery_outcome_record(delivery=delivery, status_code=status_code, error=error)
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def delivery_retry(*, delivery):
    """Queue a failed delivery again, now, with a fresh set of attempts."""
    now = timezone.now()
    return WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.FAILED
    ).update(
        status=WebhookDelivery.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        queued_at=now,
        claimed_until=None,
    )


@transaction.atomic
def endpoint_secret_rotate(*, endpoint):
    """Give `endpoint` a new secret; requests are signed with it from now on."""
    endpoint.secret = secret_generate()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret
