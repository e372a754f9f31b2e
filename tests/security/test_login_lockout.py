"""Password guessing at the admin's sign-in is stopped (django-axes behind Wagtail's login view).

Five failed sign-ins for one username from one address lock that pair out for
15 minutes; the page says what to do. Other people, and the same person from
another address, can still sign in.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.factories import editor, writer

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def wendy():
    return writer(username="wendy")


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def fail(client, username, times, address="203.0.113.7"):
    return [sign_in(client, username, "wrong password", address) for _ in range(times)]


def test_four_failures_still_let_the_right_password_in(client, wendy):
    responses = fail(client, "wendy", 4)

    assert [r.status_code for r in responses] == [200] * 4
    assert "Your username and password didn" in responses[-1].content.decode()
    assert signed_in(sign_in(client, "wendy", PASSWORD))


def test_the_fifth_failure_locks_the_account_out_and_says_what_to_do(client, wendy):
    fifth = fail(client, "wendy", 5)[-1]

    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed attempts to sign in as “wendy”" in page
    assert "Wait 15 minutes" in page
    assert reverse("wagtailadmin_password_reset") in page
    assert "tell an administrator" in page


def test_while_locked_out_even_the_right_password_is_refused(client, wendy):
    fail(client, "wendy", 5)

    response = sign_in(client, "wendy", PASSWORD)

    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("wagtailadmin_home")).status_code == 302  # back to sign-in


def test_the_lockout_is_for_that_username_from_that_address_only(client, wendy):
    editor(username="eddie")
    fail(client, "wendy", 5, address="203.0.113.7")

    assert signed_in(sign_in(client, "eddie", PASSWORD, address="203.0.113.7"))
    client.logout()
    assert signed_in(sign_in(client, "wendy", PASSWORD, address="198.51.100.20"))


def test_the_lockout_ends_after_fifteen_minutes(client, wendy):
    fail(client, "wendy", 5)

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, "wendy", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, "wendy", PASSWORD))


def test_retrying_during_the_lockout_does_not_extend_it(client, wendy):
    fail(client, "wendy", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))

    fail(client, "wendy", 3)
    # Two minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))

    assert signed_in(sign_in(client, "wendy", PASSWORD))


def test_a_successful_sign_in_clears_earlier_failures(client, wendy):
    fail(client, "wendy", 4)
    assert signed_in(sign_in(client, "wendy", PASSWORD))
    client.logout()

    fail(client, "wendy", 4)

    assert signed_in(sign_in(client, "wendy", PASSWORD))
