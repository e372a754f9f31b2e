"""Delivery keys: issued and revoked in the admin, stored hashed, refused clearly.

How keyed requests are counted is in test_throttling.py.
"""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from wagtail.models import ModelLogEntry

from api import keys
from api.keys import DeliveryKey
from tests.factories import UserFactory, editor, published_article
from workflows.roles import EDITORS


@pytest.fixture
def her2():
    return published_article(slug="her2")


@pytest.fixture
def admin_user():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def issued(admin_user):
    return keys.delivery_key_create(
        name="Web frontend", requests_per_minute=600, created_by=admin_user
    )


def get(client, token, path="/api/v1/articles/her2/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


# --- The key itself ---------------------------------------------------------------------


def test_a_key_is_a_random_token_stored_only_as_its_hash(issued):
    key, token = issued
    row = DeliveryKey.objects.values().get(pk=key.pk)

    assert token.startswith("vtd_") and len(token) >= 40
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(value) for value in row.values()]
    assert row["token_hint"] == token[:12]
    assert key.hint == f"{token[:12]}…"


def test_a_valid_key_reads_the_api(client, her2, issued):
    _key, token = issued

    response = get(client, token)

    assert response.status_code == 200
    assert response.json()["slug"] == "her2"


# --- Refusals -----------------------------------------------------------------------------


def assert_refused(response, *words):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    # A refusal is about this request's header: no shared cache may keep it for others.
    assert "public" not in response.get("Cache-Control", "")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail


def test_an_unknown_key_is_refused_and_told_what_to_do(client, her2):
    response = get(client, "vtd_" + "x" * 43)

    assert_refused(response, "not known", "Delivery API keys", "Without an Authorization")


def test_a_revoked_key_is_refused_at_once_where_it_was_revoked(
    client, her2, issued, admin_user, django_capture_on_commit_callbacks
):
    key, token = issued
    assert get(client, token).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert keys.delivery_key_revoke(key=key, user=admin_user)

    assert_refused(get(client, token), "revoked on", "Ask an administrator")


def test_other_app_servers_refuse_a_revoked_key_within_key_seconds(
    client, her2, issued, admin_user, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(keys, "_clock", lambda: now[0])
    key, token = issued
    assert get(client, token).status_code == 200
    # Committed elsewhere: this process hears of it only from the database.
    keys.delivery_key_revoke(key=key, user=admin_user)

    now[0] += keys.KEY_SECONDS - 0.5
    assert get(client, token).status_code == 200
    now[0] += 1
    assert get(client, token).status_code == 401


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Bearer not-a-delivery-key", "Bearer vtd_a vtd_b", "Token vtd_abc"],
)
def test_a_malformed_authorization_is_refused_not_read_as_anonymous(client, her2, authorization):
    response = client.get("/api/v1/articles/her2/", HTTP_AUTHORIZATION=authorization)

    assert_refused(response, "Bearer")


def test_someone_else_s_credentials_leave_the_request_anonymous(client, her2):
    """A proxy's Basic credentials (a staging site, say) are not ours to judge."""
    response = client.get("/api/v1/articles/her2/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/topics/", "/api/v1/schema/"])
def test_every_endpoint_refuses_a_bad_key(client, her2, path):
    assert_refused(get(client, "vtd_unknown", path=path), "not known")


# --- Last used ------------------------------------------------------------------------------


def test_the_last_use_is_written_at_most_once_a_minute(client, her2, issued):
    key, token = issued
    assert key.last_used_at is None

    get(client, token)
    key.refresh_from_db()
    first_use = key.last_used_at
    assert first_use is not None

    # Within the minute: neither a fresh read of the key nor the next requests write it.
    keys.known_forget()
    get(client, token)
    key.refresh_from_db()
    assert key.last_used_at == first_use

    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1, seconds=1)
    DeliveryKey.objects.filter(pk=key.pk).update(last_used_at=a_minute_ago)
    keys.known_forget()
    get(client, token)
    key.refresh_from_db()
    assert key.last_used_at > a_minute_ago


def test_a_busy_key_costs_no_query_per_request(
    client, her2, issued, settings, django_assert_num_queries
):
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": True}
    _key, token = issued
    get(client, token)  # reads the key and fills the response cache

    with django_assert_num_queries(0):
        assert get(client, token).status_code == 200


# --- The admin -----------------------------------------------------------------------------


def create(client, **data):
    return client.post(
        reverse("delivery_keys:add"), {"name": "Web frontend", "requests_per_minute": 600, **data}
    )


def test_an_administrator_issues_a_key_and_sees_it_once(as_user, admin_user, client, her2):
    admin = as_user(admin_user)

    response = create(admin)

    key = DeliveryKey.objects.get()
    page = response.content.decode()
    token = page.split('id="delivery-key" class="w-text-16">', 1)[1].split("<", 1)[0]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "it is not shown again" in page
    assert key.created_by == admin_user
    assert key.requests_per_minute == 600
    assert key.token_hash == keys.token_hash(token)

    listing = admin.get(reverse("delivery_keys:index")).content.decode()
    edit_page = admin.get(reverse("delivery_keys:edit", args=[key.pk])).content.decode()
    assert key.hint in listing
    assert token not in listing
    assert token not in edit_page

    admin.logout()
    assert get(client, token).status_code == 200


@pytest.mark.parametrize("rate", [0, -5, 1_000_001, "lots"])
def test_the_rate_must_be_a_sensible_number_of_requests_a_minute(as_user, admin_user, rate):
    response = create(as_user(admin_user), requests_per_minute=rate)

    assert response.status_code == 200
    assert "requests_per_minute" in response.context["form"].errors
    assert not DeliveryKey.objects.exists()


def test_revoking_asks_first_then_refuses_the_key(as_user, admin_user, client, her2, issued):
    key, token = issued
    admin = as_user(admin_user)
    url = reverse("delivery_keys:revoke", args=[key.pk])
    listing = admin.get(reverse("delivery_keys:index")).content.decode()
    assert url in listing  # the row's Revoke
    assert url in admin.get(reverse("delivery_keys:edit", args=[key.pk])).content.decode()

    confirm = admin.get(url)
    assert "cannot be undone" in confirm.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None

    admin.post(url)

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key.revoked_by == admin_user
    assert ModelLogEntry.objects.filter(action=keys.REVOKED, object_id=str(key.pk)).exists()
    assert "Revoked on" in admin.get(reverse("delivery_keys:index")).content.decode()
    admin.logout()
    assert get(client, token).status_code == 401


def test_keys_are_revoked_never_deleted(as_user, admin_user, issued):
    key, _token = issued
    admin = as_user(admin_user)

    response = admin.post(reverse("delivery_keys:delete", args=[key.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert DeliveryKey.objects.filter(pk=key.pk).exists()


def test_editors_may_not_manage_keys_unless_a_group_is_given_the_permission(as_user, issued):
    key, _token = issued
    client = as_user(editor())
    urls = [
        reverse("delivery_keys:index"),
        reverse("delivery_keys:add"),
        reverse("delivery_keys:edit", args=[key.pk]),
        reverse("delivery_keys:revoke", args=[key.pk]),
    ]
    for url in urls:
        assert client.get(url)["Location"] == reverse("wagtailadmin_home"), url
    assert client.post(reverse("delivery_keys:revoke", args=[key.pk])).status_code == 302
    assert create(client).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is None
    assert DeliveryKey.objects.count() == 1

    Group.objects.get(name=EDITORS).permissions.add(
        Permission.objects.get(codename="add_deliverykey"),
        Permission.objects.get(codename="change_deliverykey"),
    )

    assert create(client).status_code == 200
    assert DeliveryKey.objects.count() == 2


# --- The schema -----------------------------------------------------------------------------


def test_the_schema_documents_the_key_as_optional_on_every_endpoint():
    document = SchemaGenerator().get_schema(request=None, public=True)

    scheme = document["components"]["securitySchemes"]["deliveryKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        assert operation["security"] == [{"deliveryKey": []}, {}], operation["operationId"]
        assert "401" in operation["responses"], operation["operationId"]
