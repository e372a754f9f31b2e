"""Webhook endpoints and the outbox of events waiting to reach them."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .events import EVENT_CHOICES, EVENT_TYPES
from .targets import validate_target_url

SECRET_PREFIX = "whsec_"


def secret_generate():
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def validate_event_types(value):
    if not isinstance(value, list) or not set(value) <= EVENT_TYPES:
        raise ValidationError(
            "Choose events from: %(choices)s.", params={"choices": ", ".join(sorted(EVENT_TYPES))}
        )


class WebhookEndpoint(models.Model):
    """A receiver of signed events, configured by editors in the admin."""

    name = models.CharField(max_length=100, help_text="Who receives these events, for people.")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_target_url],
        help_text="The address events are POSTed to: a public https address "
        "(private ones only where an administrator allows them).",
    )
    # Needed in clear to sign each request; the admin shows it once, then masked.
    secret = models.CharField(max_length=100, default=secret_generate, editable=False)
    events = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_event_types],
        help_text="The events this endpoint receives.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Inactive endpoints receive nothing new; deliveries already queued "
        "for them wait until the endpoint is active again.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.name

    def subscribes_to(self, event_type):
        return self.active and event_type in self.events

    @property
    def secret_hint(self):
        """The secret as the admin shows it after creation: its prefix and last four."""
        return f"{SECRET_PREFIX}…{self.secret[-4:]}"

    def event_labels(self):
        labels = dict(EVENT_CHOICES)
        return ", ".join(labels[name].split(":")[0] for name in self.events if name in labels)

    event_labels.short_description = "Events"


class WebhookEvent(models.Model):
    """Something that happened to an article, recorded in the transaction that made it so."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=50, choices=EVENT_CHOICES)
    # Plain values, not a foreign key: the record outlives the article.
    article_id = models.PositiveBigIntegerField(db_index=True)
    article_title = models.CharField(max_length=255)
    # The exact JSON sent: the same bytes on every attempt to every endpoint.
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook event"

    def __str__(self):
        return f"{self.event_type}: {self.article_title}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, *, now):
        """Deliveries a worker may take now: pending and due, or claimed by a worker
        whose lease ran out (it died or hung mid-send), to endpoints that are active."""
        pending = Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        abandoned = Q(status=WebhookDelivery.Status.SENDING, claimed_until__lte=now)
        return self.filter(pending | abandoned, endpoint__active=True)


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: the outbox row a worker sends and retries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While sending: until when the claiming worker owns the delivery.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When it was queued (or queued again by hand): retries stop MAX_AGE_HOURS later.
    queued_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"

    @property
    def next_attempt_due(self):
        """When it will be tried again, or None when it is not waiting to be."""
        return self.next_attempt_at if self.status == self.Status.PENDING else None
