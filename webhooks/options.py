"""The webhook options, read from ``settings.VETTED`` (keys prefixed ``WEBHOOK_``)."""

from django.conf import settings

DEFAULTS = {
    # How long one POST may take: connecting, then waiting for the response.
    "WEBHOOK_CONNECT_TIMEOUT_SECONDS": 5.0,
    "WEBHOOK_READ_TIMEOUT_SECONDS": 10.0,
    # Retries: the n-th failed attempt waits about BASE * 2**(n-1) seconds (with
    # jitter, at most MAX), until MAX_ATTEMPTS attempts or MAX_AGE_HOURS after the
    # event; the delivery is then marked failed.
    "WEBHOOK_BACKOFF_BASE_SECONDS": 30,
    "WEBHOOK_BACKOFF_MAX_SECONDS": 6 * 60 * 60,
    "WEBHOOK_MAX_ATTEMPTS": 12,
    "WEBHOOK_MAX_AGE_HOURS": 72,
    # A worker owns a delivery it claimed for this long; if it dies meanwhile,
    # another worker takes the delivery over once the lease has run out.
    # Keep it well above the two timeouts added together.
    "WEBHOOK_LEASE_SECONDS": 120,
    # How long an idle worker sleeps before looking for due deliveries again.
    "WEBHOOK_POLL_SECONDS": 2.0,
    # Whether endpoints may be at loopback, private, link-local or other non-public
    # addresses: only for receivers inside the same network (webhooks.targets).
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": False,
}


def webhook_option(name):
    """Return the webhook option `name` from ``settings.VETTED``, or its default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown webhook option {name!r}")
    return getattr(settings, "VETTED", {}).get(name, DEFAULTS[name])
