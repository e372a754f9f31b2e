"""Security headers: what browsers are told about the admin, the API and its docs."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.factories import TopicFactory, published_article

ROOT = Path(__file__).resolve().parents[2]


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def test_api_json_may_not_be_sniffed_framed_or_run(client):
    response = client.get("/api/v1/articles/")

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = policy(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_api_errors_get_the_same_headers(client):
    response = client.get("/api/v1/articles/no-such-article/")

    assert response.status_code == 404
    assert response["X-Content-Type-Options"] == "nosniff"
    assert policy(response)["default-src"] == ["'none'"]


def test_admin_pages_have_a_policy_wagtail_can_work_under(client):
    response = client.get(reverse("wagtailadmin_login"))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    # Wagtail 8 writes inline scripts and styles; nothing may come from elsewhere.
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    # Only the admin itself may frame an admin page (the editor's preview panel).
    assert csp["frame-ancestors"] == ["'self'"]


def test_the_editors_preview_may_frame_the_preview_client(client, settings):
    csp = policy(client.get(reverse("wagtailadmin_login")))

    assert "http://127.0.0.1:8000" in csp["frame-src"]


def test_api_docs_are_html_under_the_site_policy(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert policy(response)["script-src"] == ["'self'", "'unsafe-inline'"]


def test_reader_pages_run_no_script_at_all(client):
    article = published_article(slug="her2", topics=[TopicFactory(slug="her2-topic")])
    pages = [
        "/",
        "/articles/her2/",
        "/topics/her2-topic/",
        f"/authors/{article.author.slug}/",
        f"/reviewers/{article.medical_reviewer.slug}/",
        "/articles/no-such-article/",
    ]

    for path in pages:
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html"), path
        csp = policy(response)
        # The admin's 'unsafe-inline' is not inherited: no script runs, inline or loaded.
        assert csp["script-src"] == ["'none'"], path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        assert csp["default-src"] == ["'none'"], path
        assert csp["style-src"] == csp["img-src"] == ["'self'"], path
        assert csp["base-uri"] == csp["form-action"] == csp["frame-ancestors"] == ["'none'"]
    assert client.get("/articles/no-such-article/").status_code == 404


def test_reader_pages_may_load_static_files_and_media_from_their_cdn(client, settings):
    settings.STATIC_URL = "https://static.example.net/static/"
    settings.MEDIA_URL = "https://media.example.net/media/"

    csp = policy(client.get("/"))

    sources = ["'self'", "https://media.example.net", "https://static.example.net"]
    assert csp["style-src"] == csp["img-src"] == sources
    assert csp["script-src"] == ["'none'"]


def test_the_admin_makes_no_requests_to_third_parties(client, django_user_model):
    # Gravatar would receive a hash of each user's address; the update check calls out.
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "gravatar.com" not in html
    assert 'data-controller="w-upgrade' not in html


def test_production_sends_hsts_and_redirects_plain_http():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_ALLOWED_HOSTS="cms.example.org",
        DJANGO_SECRET_KEY="k2v9-" + "x7Qp3mZr8Lw1" * 5,
    )
    script = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='cms.example.org')\n"
        "secure = client.get('/api/v1/', secure=True)\n"
        "plain = client.get('/api/v1/')\n"
        "print(json.dumps({'status': secure.status_code, 'headers': dict(secure.headers),\n"
        "    'plain': plain.status_code, 'location': plain.get('Location')}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert (seen["plain"], seen["location"]) == (301, "https://cms.example.org/api/v1/")
