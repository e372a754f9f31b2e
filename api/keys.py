"""Delivery keys: how a server-side frontend is told apart from its readers.

A frontend that renders pages on its own servers reaches the API from one
address for all of its readers, so the per-address limit would throttle them
all as one. It sends ``Authorization: Bearer vtd_…`` instead, and is limited
per key at the key's own rate (`api.throttling`). Administrators issue and
revoke keys in the admin (`api.keys_admin`).

A key is a random token shown once, when it is issued; only its SHA-256 and
its first characters (to tell keys apart in the admin) are stored. A key that
is sent must be known and not revoked: anything else is refused with 401, never
read as anonymous, so a frontend whose key was revoked finds out at once rather
than sharing the per-address limit with everyone behind its address.

Each process keeps what it read about a key for `KEY_SECONDS`, so a request
with a key costs no query: a revocation is honoured at once by the process
that committed it and by every other within `KEY_SECONDS`; a new rate within
the same. `last_used_at` is written at most once per `USED_EVERY` per key.
"""

import datetime
import hashlib
import secrets
import time
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

TOKEN_PREFIX = "vtd_"
# The characters of a token kept in clear: the prefix and 8 random ones.
HINT_LENGTH = len(TOKEN_PREFIX) + 8
RATE_MAX = 1_000_000
REVOKED = "api.delivery_key.revoke"
# How long a process trusts what it read about a key.
KEY_SECONDS = 5
# How often, at most, a key's last use is written.
USED_EVERY = datetime.timedelta(minutes=1)
# How many tokens (known or not) each process remembers; then it starts afresh.
KNOWN_MAX = 1_000

KEYS_ADMIN = "Settings → Delivery API keys"


class DeliveryKey(models.Model):
    """A server-side frontend's key: its name, its rate, and when it was last used."""

    name = models.CharField(
        max_length=100, help_text="Who uses this key, e.g. “Web frontend (production)”."
    )
    requests_per_minute = models.PositiveIntegerField(
        default=6000,
        validators=[MinValueValidator(1), MaxValueValidator(RATE_MAX)],
        help_text="Requests this key may make per minute, whatever address they come from.",
    )
    token_hint = models.CharField(max_length=HINT_LENGTH, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, editable=False)
    revoked_at = models.DateTimeField(null=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "delivery API key"

    def __str__(self):
        return self.name

    @property
    def status(self):
        if self.revoked_at is None:
            return "Active"
        return f"Revoked on {timezone.localdate(self.revoked_at).isoformat()}"

    @property
    def hint(self):
        """The key as the admin shows it after it was issued: its first characters."""
        return f"{self.token_hint}…"


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- Writes ----------------------------------------------------------------------


@transaction.atomic
def delivery_key_create(*, name, requests_per_minute, created_by):
    """Issue a key; returns ``(key, token)``. The token exists only in what this returns."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = DeliveryKey.objects.create(
        name=name,
        requests_per_minute=requests_per_minute,
        token_hint=token[:HINT_LENGTH],
        token_hash=token_hash(token),
        created_by=created_by,
    )
    log(instance=key, action="wagtail.create", user=created_by)
    return key, token


@transaction.atomic
def delivery_key_revoke(*, key, user):
    """Refuse `key` from now on (every process within `KEY_SECONDS`). Returns whether
    it was active: a key is revoked once, and the first revocation is the one kept."""
    revoked = DeliveryKey.objects.filter(pk=key.pk, revoked_at=None).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    key.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if revoked:
        log(instance=key, action=REVOKED, user=user)
        transaction.on_commit(lambda: _KNOWN.pop(key.token_hash, None))
    return bool(revoked)


# --- Reading a request's key -------------------------------------------------------


class KeyGrant(NamedTuple):
    """What a valid key allows: the request is counted as this key's, at this rate."""

    id: int
    requests_per_minute: int


class Credentials(NamedTuple):
    """A request's key: a grant, a refusal (the reason, for the client), or neither (anonymous)."""

    grant: KeyGrant | None = None
    refusal: str | None = None


ANONYMOUS = Credentials()

_KNOWN = {}  # token hash -> (Credentials, monotonic time read)
_clock = time.monotonic


def delivery_key_grant(request):
    """The valid key `request` (Django's or DRF's) was sent with, or None."""
    return _credentials(request).grant


def delivery_key_refusal(request):
    """Why the key `request` was sent with is refused, for the client; None if it is
    not refused (valid, or no key at all)."""
    return _credentials(request).refusal


def known_forget():
    """Drop what this process remembers about keys (the database stays as it is)."""
    _KNOWN.clear()


def _credentials(request):
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    credentials = getattr(request, "_delivery_key_credentials", None)
    if credentials is None:
        credentials = _credentials_read(request.META.get("HTTP_AUTHORIZATION", ""))
        request._delivery_key_credentials = credentials
    return credentials


def _credentials_read(authorization):
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        if TOKEN_PREFIX in authorization:
            return Credentials(
                refusal=f"Send the delivery key as “Authorization: Bearer {TOKEN_PREFIX}…”."
            )
        # Not ours (a proxy's Basic credentials, say): the request is anonymous.
        return ANONYMOUS
    if not token.startswith(TOKEN_PREFIX) or " " in token:
        return Credentials(
            refusal=f"“Authorization: Bearer” must be followed by a delivery key "
            f"({TOKEN_PREFIX}…) and nothing else. Ask an administrator for one "
            f"({KEYS_ADMIN}), or send no Authorization header to read anonymously."
        )
    digest = token_hash(token)
    now = _clock()
    known = _KNOWN.get(digest)
    if known is not None and now - known[1] < KEY_SECONDS:
        return known[0]
    credentials = _credentials_of_key(digest)
    if len(_KNOWN) >= KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[digest] = (credentials, now)
    return credentials


def _credentials_of_key(digest):
    row = (
        DeliveryKey.objects.filter(token_hash=digest)
        .values_list("pk", "requests_per_minute", "revoked_at", "last_used_at")
        .first()
    )
    if row is None:
        return Credentials(
            refusal="This delivery key is not known here. Check that the whole key was "
            f"copied, or ask an administrator for a new one ({KEYS_ADMIN}). Without an "
            "Authorization header the API is read anonymously, at the per-address rate."
        )
    pk, requests_per_minute, revoked_at, last_used_at = row
    if revoked_at is not None:
        return Credentials(
            refusal=f"This delivery key was revoked on "
            f"{timezone.localdate(revoked_at).isoformat()}. "
            f"Ask an administrator for a new one ({KEYS_ADMIN})."
        )
    now = timezone.now()
    if last_used_at is None or last_used_at <= now - USED_EVERY:
        # Conditional, so that of the processes that find it stale only one writes.
        DeliveryKey.objects.filter(pk=pk).filter(
            Q(last_used_at=None) | Q(last_used_at__lte=now - USED_EVERY)
        ).update(last_used_at=now)
    return Credentials(grant=KeyGrant(id=pk, requests_per_minute=requests_per_minute))
