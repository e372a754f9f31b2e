"""Webhooks go to public addresses only, unless an administrator allows private ones:
refused when the endpoint is saved, and again when each event is sent.

Addresses inside a network are only ever checked here, never connected to: the
tests that send do so to receivers on this machine's loopback addresses.
"""

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.workflows.flow import approve_all
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.targets import address_kind

ADVICE = "webhooks are sent only to public addresses"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "not public"),
        # IPv4 written as IPv6 is the IPv4 address it carries.
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback"),
        ("2002:a00:1::", "private"),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:93.184.215.14", None),
    ],
)
def test_only_public_addresses_are_allowed(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind


def create(client, url):
    form = {"name": "Partner", "url": url, "events": ["article.published"], "active": "on"}
    return client.post(reverse("webhook_endpoints:add"), form)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:8000/hooks", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.5/hooks", "10.0.0.5 is a private address"),
        ("https://192.168.1.20/hooks", "192.168.1.20 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:8000/hooks", "::1 is a loopback address"),
        ("http://[fc00::5]/hooks", "fc00::5 is a private address"),
        ("http://[fe80::1]/hooks", "fe80::1 is a link-local address"),
        ("http://0.0.0.0:8000/hooks", "0.0.0.0 is the unspecified address"),
        ("http://224.0.0.1/hooks", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/hooks", "240.0.0.1 is a reserved address"),
        ("http://[::ffff:127.0.0.1]/hooks", "::ffff:127.0.0.1 is a loopback address"),
        ("http://localhost:8000/hooks", "localhost resolves to 127.0.0.1, a loopback address"),
    ],
)
def test_an_address_inside_the_network_is_refused_when_saved_and_says_what_to_do(
    as_user, people, url, said
):
    response = create(as_user(people["editor"]), url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{said}, and {ADVICE}" in html
    assert "public https address" in html
    assert "VETTED_WEBHOOK_ALLOW_PRIVATE_TARGETS" in html
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.1"])
def test_numeric_forms_of_a_loopback_address_are_refused_when_saved(host):
    endpoint = WebhookEndpoint(name="Partner", url=f"http://{host}/hooks", events=[])

    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()

    assert f"{host} resolves to 127.0.0.1, a loopback address, and {ADVICE}" in str(
        refused.value.message_dict["url"]
    )


def test_only_http_and_https_addresses_may_be_saved():
    endpoint = WebhookEndpoint(name="Partner", url="ftp://files.example.org/hooks", events=[])

    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()

    assert refused.value.message_dict["url"] == ["Use an http or https address."]


def test_with_private_targets_allowed_an_address_inside_the_network_may_be_saved(
    as_user, people, private_targets_allowed
):
    response = create(as_user(people["editor"]), "http://10.0.0.5:8080/hooks")

    assert response.status_code == 200
    assert WebhookEndpoint.objects.get().url == "http://10.0.0.5:8080/hooks"


PROBE = """
import django
django.setup()
from webhooks.targets import private_targets_allowed
print(private_targets_allowed())
"""


def private_targets_allowed_with(**variables):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "VETTED_WEBHOOK_ALLOW_PRIVATE_TARGETS"
    }
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", **variables)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_private_targets_are_refused_unless_the_environment_allows_them():
    assert private_targets_allowed_with() == "False"
    assert private_targets_allowed_with(VETTED_WEBHOOK_ALLOW_PRIVATE_TARGETS="true") == "True"


def deliver():
    call_command("deliver_webhooks", "--once")


def test_an_endpoint_saved_while_allowed_is_refused_at_send_once_it_no_longer_is(
    as_user, article, people, receiver, webhook_options
):
    webhook_options(WEBHOOK_ALLOW_PRIVATE_TARGETS=True)
    endpoint = WebhookEndpoint(name="Partner", url=receiver.url, events=["article.published"])
    endpoint.full_clean()
    endpoint.save()
    webhook_options(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)

    approve_all(article, people)
    deliver()

    assert receiver.requests == []
    refused = WebhookDelivery.objects.get()
    assert refused.status == WebhookDelivery.Status.PENDING
    assert (refused.last_status_code, refused.last_error) == (
        None,
        "refused: the address is loopback",
    )
    log = as_user(people["editor"]).get(reverse("webhook_deliveries:index")).content.decode()
    assert "refused: the address is loopback" in log


@pytest.mark.parametrize(
    "host", ["localhost", "2130706433", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]"]
)
def test_a_name_or_number_that_reaches_this_machine_is_refused_at_send(
    article, people, make_endpoint, receiver, host
):
    # Saved past the form's check (from Python, or before the check existed).
    make_endpoint(url=f"http://{host}:{receiver.port}/hooks")

    approve_all(article, people)
    deliver()

    assert receiver.requests == []
    assert WebhookDelivery.objects.get().last_error == "refused: the address is loopback"


def test_a_name_that_does_not_resolve_is_a_failed_attempt_saying_so(
    article, people, make_endpoint
):
    make_endpoint(url="https://hooks.invalid/vetted")

    approve_all(article, people)
    deliver()

    failed = WebhookDelivery.objects.get()
    assert failed.status == WebhookDelivery.Status.PENDING
    assert failed.last_error == "could not find the address: the name does not resolve"
