"""Cross-origin reads: only the configured frontends, only the API, never with credentials.

The basic grant and refusal on /api/v1/articles/ are in tests/api/test_caching.py;
these are the near misses an attacker would try.
"""

import pytest
from django.urls import reverse

FRONTEND = "https://frontend.example"  # CORS_ALLOWED_ORIGINS in cms.settings.test


@pytest.mark.parametrize(
    "origin",
    [
        "https://frontend.example.attacker.example",
        "https://attacker.example",
        "http://frontend.example",
        "https://frontend.example:8443",
        "null",
    ],
)
def test_origins_that_merely_resemble_the_frontend_get_no_grant(client, origin):
    response = client.get("/api/v1/articles/", headers={"Origin": origin})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_the_frontend_may_read_but_never_with_credentials(client):
    response = client.get("/api/v1/articles/", headers={"Origin": FRONTEND})

    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "Access-Control-Allow-Credentials" not in response


def test_the_admin_grants_no_cross_origin_reads_even_to_the_frontend(client):
    response = client.get(reverse("wagtailadmin_login"), headers={"Origin": FRONTEND})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_the_frontend_may_read_the_validators_to_revalidate(client):
    response = client.get("/api/v1/articles/", headers={"Origin": FRONTEND})

    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    # No Last-Modified is sent (it cannot move with every change a response shows).
    assert exposed == {"etag"}
