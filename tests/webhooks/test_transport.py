"""The worker connects to the address it checked, verifies TLS for the endpoint's name,
follows no redirect, and logs how an attempt failed in plain words.

Every receiver here is a real server on a loopback address of this machine.
"""

import socket
import ssl
import subprocess
import time

import pytest
from django.core.management import call_command

from tests.workflows.flow import approve_all
from webhooks.models import WebhookDelivery
from webhooks.services import delivery_attempt
from webhooks.transport import session_create

pytestmark = pytest.mark.usefixtures("private_targets_allowed")


def deliver():
    call_command("deliver_webhooks", "--once")


def delivery():
    return WebhookDelivery.objects.get()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failed_delivery_and_is_not_followed(
    article, people, make_endpoint, make_receiver, status
):
    elsewhere = make_receiver()
    redirecting = make_receiver()
    redirecting.status = status
    redirecting.headers = {"Location": elsewhere.url}
    make_endpoint(url=redirecting.url)

    approve_all(article, people)
    deliver()

    assert len(redirecting.requests) == 1
    assert elsewhere.requests == []
    failed = delivery()
    assert failed.status == WebhookDelivery.Status.PENDING
    assert failed.last_status_code == status
    assert failed.last_error == f"redirects are not followed: the receiver answered {status}"


def test_the_worker_connects_to_the_address_it_checked(
    article, people, make_endpoint, make_receiver, monkeypatch
):
    """A name that resolves to one address for the check and to another when requests
    would connect (DNS rebinding) is sent to the first, and the Host header names it."""
    checked = make_receiver(host="127.0.0.1")
    rebound = make_receiver(host="127.0.0.2", port=checked.port)
    answers = {"rebinding.test": ["127.0.0.1", "127.0.0.2"]}
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            lookups.append(host)
            choices = answers[host]
            host = choices.pop(0) if len(choices) > 1 else choices[0]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    make_endpoint(url=f"http://rebinding.test:{checked.port}/hooks")

    approve_all(article, people)
    deliver()

    assert rebound.requests == []
    [request] = checked.requests
    assert request["headers"]["Host"] == f"rebinding.test:{checked.port}"
    assert lookups == ["rebinding.test"]
    assert delivery().status == WebhookDelivery.Status.DELIVERED


def test_a_receiver_that_does_not_answer_in_time_is_a_timeout(
    article, people, make_endpoint, receiver, webhook_options
):
    webhook_options(WEBHOOK_READ_TIMEOUT_SECONDS=0.2)
    receiver.on_request = lambda: time.sleep(0.5)
    make_endpoint(url=receiver.url)

    approve_all(article, people)
    deliver()

    assert delivery().last_error == "timed out waiting for the answer"


def certificate(tmp_path, name, subject_alt_name):
    """A self-signed certificate (and its key) for `subject_alt_name`, made with openssl."""
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=Vetted test receiver",
            "-addext", f"subjectAltName={subject_alt_name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def make_https_receiver(make_receiver, tmp_path):
    """Start a receiver on 127.0.0.1 speaking TLS with a certificate for `subject_alt_name`;
    returns it and the certificate, for the worker to trust."""

    def make(subject_alt_name):
        cert, key = certificate(tmp_path, "receiver", subject_alt_name)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        return make_receiver(ssl_context=context), cert

    return make


def send_trusting(cert):
    with session_create(verify=str(cert)) as session:
        return delivery_attempt(session=session)


def test_https_verifies_the_endpoint_s_name_on_the_checked_address(
    article, people, make_endpoint, make_https_receiver
):
    receiver, cert = make_https_receiver("DNS:localhost")
    make_endpoint(url=f"https://localhost:{receiver.port}/hooks")

    approve_all(article, people)
    sent = send_trusting(cert)

    assert sent.status == WebhookDelivery.Status.DELIVERED
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"localhost:{receiver.port}"


def test_a_certificate_for_the_address_but_not_the_name_is_refused(
    article, people, make_endpoint, make_https_receiver
):
    """The worker connects to 127.0.0.1, but the endpoint is "localhost": that is the
    name the certificate must be valid for."""
    receiver, cert = make_https_receiver("IP:127.0.0.1")
    make_endpoint(url=f"https://localhost:{receiver.port}/hooks")

    approve_all(article, people)
    failed = send_trusting(cert)

    assert receiver.requests == []
    assert failed.status == WebhookDelivery.Status.PENDING
    assert failed.last_error == (
        "could not connect securely: the receiver's certificate was not accepted"
    )


def test_an_untrusted_certificate_is_refused(article, people, make_endpoint, make_https_receiver):
    receiver, _cert = make_https_receiver("DNS:localhost")
    make_endpoint(url=f"https://localhost:{receiver.port}/hooks")

    approve_all(article, people)
    deliver()  # trusting the usual certificate authorities only

    assert receiver.requests == []
    assert delivery().last_error == (
        "could not connect securely: the receiver's certificate was not accepted"
    )
