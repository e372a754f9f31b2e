"""The headless preview client at /preview/: drafts for editors, clearly marked, never cached."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from wagtail_headless_preview.models import PagePreview

from content_models.models import ArticlePage
from tests.factories import MedicalReviewerFactory, published_article
from tests.factories import body as article_body

from .html import assert_accessible_structure, elements, text

BANNER = "Draft: not yet medically reviewed"


@pytest.fixture
def article():
    return published_article(
        title="What Is HER2?",
        slug="what-is-her2",
        summary="The approved summary.",
        body=article_body("The approved paragraph."),
        medical_reviewer=MedicalReviewerFactory(name="Amara Okafor", credentials="M.D."),
    )


def edited(article):
    """The article as an editor is changing it in the admin (nothing saved)."""
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.summary = "The edited summary."
    draft.body = article_body("The edited paragraph.")
    return draft


def admin_preview_path(page):
    """Where the admin's Preview sends the editor: the package's own preview URL,
    taken from the frame it renders, without the configured host."""
    request = RequestFactory().get("/admin/", HTTP_HOST="localhost")
    response = page.serve_preview(request, page.default_preview_mode)
    html = response.content.decode()
    url = html.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    parts = urlsplit(url)
    assert parts.path == "/preview/"
    return f"{parts.path}?{parts.query}"


def test_preview_shows_the_draft_under_a_banner(client, article):
    response = client.get(admin_preview_path(edited(article)))

    assert response.status_code == 200
    shown = text(response)
    assert BANNER in shown
    assert "The edited summary." in shown and "The edited paragraph." in shown
    assert "The approved paragraph." not in shown
    [banner] = [attrs for attrs in elements(response, "div") if attrs.get("role") == "status"]
    assert "draft-banner" in banner["class"]
    assert_accessible_structure(response)


def test_a_draft_is_not_presented_as_reviewed(client, article):
    shown = text(client.get(admin_preview_path(edited(article))))

    assert "To be medically reviewed by Amara Okafor, M.D." in shown
    assert "Medically reviewed by" not in shown


def test_the_public_page_keeps_the_approved_text_meanwhile(client, article):
    client.get(admin_preview_path(edited(article)))

    public = client.get("/articles/what-is-her2/")

    assert "The approved paragraph." in text(public)
    assert "edited" not in public.content.decode()
    assert BANNER not in text(public)


def test_preview_is_never_cached_or_indexed(client, article):
    response = client.get(admin_preview_path(edited(article)))

    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert {"name": "robots", "content": "noindex, nofollow"} in elements(response, "meta")
    assert '"@type": "MedicalWebPage"' not in response.content.decode()


def test_only_the_admin_may_frame_the_preview_and_nothing_in_it_runs(client, article, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example.org/"

    response = client.get(admin_preview_path(edited(article)))

    assert "X-Frame-Options" not in response
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'self' https://cms.example.org"
    assert policy["script-src"] == "'none'"


def refused(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert "This preview is not available" in text(response)
    assert_accessible_structure(response)
    return response


def test_an_expired_token_says_so(client, article):
    path = admin_preview_path(edited(article))

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 3600):
        response = refused(client, path)

    assert response.status_code == 403
    assert "This preview link has expired. Press Preview in the editor again." in text(response)


def test_a_tampered_token_is_refused(client, article):
    path = admin_preview_path(edited(article))

    response = refused(client, path[:-3] + "xyz")

    assert response.status_code == 403
    assert "This preview token is not valid." in text(response)


def test_a_token_whose_draft_was_cleared_away_says_so(client, article):
    path = admin_preview_path(edited(article))
    PagePreview.objects.all().delete()

    response = refused(client, path)

    assert response.status_code == 404
    assert "no longer available" in text(response)


@pytest.mark.parametrize(
    "query",
    ["", "?token=abc", "?content_type=content_models.articlepage", "?content_type=x&token=y"],
)
def test_an_incomplete_link_is_a_400_page(client, article, query):
    response = refused(client, f"/preview/{query}")

    assert response.status_code == 400
    assert "This preview link is incomplete." in text(response)


def test_a_token_for_another_draft_shows_nothing_of_either(client, article):
    other = published_article(title="Other", slug="other", body=article_body("Other text."))
    path = admin_preview_path(edited(article))
    # A preview row stored under this token but holding another page's content.
    PagePreview.objects.filter(token=parse_qs(urlsplit(path).query)["token"][0]).update(
        content_json=other.to_json()
    )

    response = refused(client, path)

    assert response.status_code == 403
    assert "Other text." not in text(response)
