"""Signing webhook requests, and the check a receiver makes (a reference for receivers).

A request carries:

- ``X-Vetted-Event-Id``: the event's id; the same on every retry and for every
  endpoint, so a receiver can ignore an event it has already handled.
- ``X-Vetted-Timestamp``: when this attempt was signed, in Unix seconds.
- ``X-Vetted-Signature``: ``sha256=<hex>``, the HMAC-SHA256, keyed with the
  endpoint's secret, of ``<timestamp>.<body>``: the timestamp header's value, a
  dot, then the request body's exact bytes.

A receiver recomputes the HMAC over the raw body it received (before parsing
it), compares in constant time, and refuses a timestamp too far from its own
clock, so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Vetted-Signature"
TIMESTAMP_HEADER = "X-Vetted-Timestamp"
EVENT_ID_HEADER = "X-Vetted-Event-Id"
EVENT_TYPE_HEADER = "X-Vetted-Event"
SCHEME = "sha256"
# How far a receiver should let the timestamp stray from its clock.
DEFAULT_TOLERANCE_SECONDS = 300


def signature(*, secret, timestamp, body):
    """``sha256=<hex>`` for `body` (bytes) signed at `timestamp` (int seconds) with `secret`."""
    message = str(int(timestamp)).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(*, secret, body, event_id, event_type, timestamp=None):
    """The headers that go with `body`: content type, event id and type, timestamp, signature."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: str(event_id),
        EVENT_TYPE_HEADER: event_type,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
    }


def signature_valid(
    *, secret, body, timestamp, signature_header, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS
):
    """Whether a received request is genuine and fresh: what a receiver should check."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=sent_at, body=body)
    return hmac.compare_digest(expected.encode(), str(signature_header or "").encode())
