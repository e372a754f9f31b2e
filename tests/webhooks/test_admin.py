"""Webhooks in the admin: editors and administrators only; the secret is shown once."""

import pytest
from django.urls import reverse

from tests.workflows.flow import approve_all
from webhooks.events import PUBLISHED, UNPUBLISHED
from webhooks.models import WebhookDelivery, WebhookEndpoint


def create(client, **data):
    form = {"name": "Web frontend", "url": "https://frontend.example/hooks", "active": "on"}
    form.update(data)
    return client.post(reverse("webhook_endpoints:add"), form)


def test_an_editor_adds_an_endpoint_and_sees_its_secret_once(as_user, people):
    client = as_user(people["editor"])
    response = create(client, events=[PUBLISHED, UNPUBLISHED])
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == [PUBLISHED, UNPUBLISHED]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert response.status_code == 200
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    listing = client.get(reverse("webhook_endpoints:index")).content.decode()
    edit_page = client.get(reverse("webhook_endpoints:edit", args=[endpoint.pk])).content.decode()
    assert "Web frontend" in listing
    assert endpoint.secret_hint in listing
    assert endpoint.secret not in listing
    assert endpoint.secret not in edit_page


def test_an_endpoint_must_subscribe_to_known_events(as_user, people):
    client = as_user(people["editor"])
    assert create(client, events=[]).status_code == 200
    assert create(client, events=["article.deleted"]).status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_shows_the_new_one_once(as_user, people, make_endpoint):
    endpoint = make_endpoint()
    old = endpoint.secret
    client = as_user(people["editor"])
    url = reverse("webhook_endpoints:rotate_secret", args=[endpoint.pk])
    confirm = client.get(url).content.decode()
    assert old not in confirm
    response = client.post(url)
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()


@pytest.mark.parametrize("role", ["writer", "clinician"])
def test_writers_and_clinicians_cannot_see_or_change_webhooks(
    as_user, people, make_endpoint, role
):
    endpoint = make_endpoint()
    client = as_user(people[role])
    urls = [
        reverse("webhook_endpoints:index"),
        reverse("webhook_endpoints:add"),
        reverse("webhook_endpoints:edit", args=[endpoint.pk]),
        reverse("webhook_endpoints:rotate_secret", args=[endpoint.pk]),
        reverse("webhook_deliveries:index"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home"), url
    assert (
        client.post(reverse("webhook_endpoints:rotate_secret", args=[endpoint.pk])).status_code
        == 302
    )
    assert WebhookEndpoint.objects.get().secret == endpoint.secret
    assert create(client, events=[PUBLISHED]).status_code == 302
    assert WebhookEndpoint.objects.count() == 1


def test_the_deliveries_log_shows_what_happened(as_user, article, people, make_endpoint):
    make_endpoint(name="Partner app")
    approve_all(article, people)
    WebhookDelivery.objects.update(
        status=WebhookDelivery.Status.FAILED,
        attempts=12,
        last_status_code=502,
        last_error="Gave up after 12 attempt(s). Last: HTTP 502 Bad Gateway",
    )
    for user in (people["editor"], people["superuser"]):
        html = as_user(user).get(reverse("webhook_deliveries:index")).content.decode()
        assert "article.published: What is HER2?" in html
        assert "Partner app" in html
        assert "Failed" in html
        assert "HTTP 502 Bad Gateway" in html


def test_the_deliveries_log_is_read_only_but_a_failure_can_be_retried(
    as_user, article, people, make_endpoint
):
    make_endpoint()
    approve_all(article, people)
    delivery = WebhookDelivery.objects.get()
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    client = as_user(people["editor"])
    assert client.get(reverse("webhook_deliveries:add")).status_code == 302
    assert client.get(reverse("webhook_deliveries:edit", args=[delivery.pk])).status_code == 302
    assert client.post(reverse("webhook_deliveries:delete", args=[delivery.pk])).status_code == 302
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()

    client.post(reverse("webhook_deliveries:retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 0
