"""Where the worker may send events: public addresses only, unless an administrator
allows private ones (``VETTED["WEBHOOK_ALLOW_PRIVATE_TARGETS"]``).

An editor chooses each endpoint's URL; the worker POSTs signed events there and
logs how every attempt went. Aimed inside the network (this machine, a private
range, the cloud's metadata service at 169.254.169.254), that would let whoever
may edit endpoints probe it. So the address is checked twice: when the endpoint
is saved (`validate_target_url`, an early refusal that says what to do instead),
and when each event is sent (`target_address`), on every address the name
resolves to at that moment. The worker then connects to the address checked
(`webhooks.transport`), so a name that resolves elsewhere a moment later (DNS
rebinding) reaches nothing new.
"""

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from .options import webhook_option

logger = logging.getLogger(__name__)

SCHEMES = ("http", "https")

# What an address the worker may not send to is, most telling first (a loopback
# address is reserved too), and how a sentence names it.
KINDS = (
    ("unspecified", lambda address: address.is_unspecified),
    ("loopback", lambda address: address.is_loopback),
    ("link-local", lambda address: address.is_link_local),
    ("multicast", lambda address: address.is_multicast),
    ("reserved", lambda address: address.is_reserved),
    ("private", lambda address: address.is_private),
    ("not public", lambda address: not address.is_global),
)
PHRASES = {
    "unspecified": "the unspecified address",
    "loopback": "a loopback address",
    "link-local": "a link-local address",
    "multicast": "a multicast address",
    "reserved": "a reserved address",
    "private": "a private address",
    "not public": "not a public address",
}


class TargetUnusable(Exception):
    """The endpoint's address cannot be sent to; the message is the reason, in plain words."""


def private_targets_allowed():
    return webhook_option("WEBHOOK_ALLOW_PRIVATE_TARGETS")


def address_kind(address):
    """What `address` (an `ipaddress` address) is, when the worker may not send to it:
    ``"loopback"``, ``"private"``, ``"link-local"``, …; None for a public address."""
    if address.version == 6:
        # An IPv4 address written as IPv6 (::ffff:127.0.0.1, 2002:7f00:1::) is that address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_kind(embedded)
    for kind, applies in KINDS:
        if applies(address):
            return kind
    return None


def addresses_resolve(host, port=None):
    """Every address `host` resolves to now, in the order to try them.

    Through the C library, which also reads the old numeric forms of IPv4 that
    ``ipaddress`` refuses (``2130706433``, ``0177.0.0.1``, ``127.1``): whatever the
    connection would reach is what gets checked.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(sockaddr[0]) for *_, sockaddr in found]
    return list(dict.fromkeys(addresses))


def target_address(*, host, port):
    """The address to connect to for `host`: the first it resolves to, once every one
    of them is allowed. Raises `TargetUnusable` saying why not."""
    try:
        addresses = addresses_resolve(host, port)
    except (OSError, UnicodeError) as error:
        logger.warning("Webhook target %s does not resolve: %s", host, error)
        raise TargetUnusable("could not find the address: the name does not resolve") from error
    if not private_targets_allowed():
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                logger.warning("Webhook target %s refused: %s is %s", host, address, kind)
                raise TargetUnusable(f"refused: the address is {kind}")
    return addresses[0]


def validate_target_url(url):
    """Refuse an endpoint URL the worker would not send to: not http(s), or an address
    that is not public while private targets are not allowed.

    A name that does not resolve yet is accepted: the worker checks again at each send.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise ValidationError("Use an http or https address.", code="scheme")
    if private_targets_allowed() or not parts.hostname:
        return
    try:
        addresses = addresses_resolve(parts.hostname)
    except (OSError, UnicodeError):
        return
    for address in addresses:
        kind = address_kind(address)
        if kind is None:
            continue
        if _is_literal(parts.hostname):
            where = f"{parts.hostname} is {PHRASES[kind]}"
        else:
            where = f"{parts.hostname} resolves to {address}, {PHRASES[kind]}"
        raise ValidationError(
            "%(where)s, and webhooks are sent only to public addresses. Use the receiver's "
            "public https address; for a receiver inside this network, ask an administrator "
            "to allow private addresses (VETTED_WEBHOOK_ALLOW_PRIVATE_TARGETS).",
            code="private_target",
            params={"where": where},
        )


def _is_literal(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
