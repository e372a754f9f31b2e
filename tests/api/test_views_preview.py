"""GET /api/v1/preview/: the draft behind the editor's Preview button, never cached."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import (
    MedicalReviewerFactory,
    UserFactory,
    article_draft,
    article_index,
    published_article,
)

from .helpers import DETAIL_FIELDS, latest_draft, preview_token, unapproved_edit

CONTENT_TYPE = "content_models.articlepage"


def article_form(*, title, author, medical_reviewer, slug="from-the-form"):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "A summary typed in the editor.",
            "key_takeaways": streamfield([("takeaway", "Typed in the editor.")]),
            "body": streamfield(
                [
                    ("heading", "Typed"),
                    ("paragraph", rich_text("<p>Body typed in the editor.</p>")),
                ]
            ),
            "author": author.pk,
            "medical_reviewer": medical_reviewer.pk,
            "comments": inline_formset([]),
        }
    )


def preview_params(page):
    return {"content_type": CONTENT_TYPE, "token": preview_token(latest_draft(page))}


def press_preview(client, preview_url, form):
    """Do what the editor's Preview button does; return the preview client's query."""
    assert client.post(preview_url, form).json()["is_valid"]
    client_url = client.get(preview_url).context["preview_url"]
    assert client_url.startswith("http://127.0.0.1:8000/preview/?")
    query = parse_qs(urlsplit(client_url).query)
    return {"content_type": query["content_type"][0], "token": query["token"][0]}


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_preview_button_hands_the_client_a_token_for_the_unsaved_edit(api, editor_client):
    page = article_draft(slug="draft", medical_reviewer=MedicalReviewerFactory())
    form = article_form(
        title="Typed, not saved",
        slug="draft",
        author=page.author,
        medical_reviewer=page.medical_reviewer,
    )

    params = press_preview(
        editor_client, reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)), form
    )
    response = api.get("/api/v1/preview/", params)

    assert params["content_type"] == CONTENT_TYPE
    assert response.status_code == 200
    article = response.json()
    assert set(article) == DETAIL_FIELDS
    assert article["id"] == page.pk
    assert article["title"] == "Typed, not saved"
    assert article["key_takeaways"] == ["Typed in the editor."]
    assert article["body"][1]["value"] == "<p>Body typed in the editor.</p>"
    assert api.get("/api/v1/articles/draft/").status_code == 404


def test_a_new_page_can_be_previewed_before_it_is_saved(api, editor_client):
    reviewer = MedicalReviewerFactory()
    form = article_form(
        title="Brand new", author=published_article().author, medical_reviewer=reviewer
    )
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("content_models", "articlepage", article_index().pk),
    )

    response = api.get("/api/v1/preview/", press_preview(editor_client, preview_url, form))

    article = response.json()
    assert article["id"] is None
    assert article["title"] == "Brand new"
    assert article["published_at"] is None
    assert article["medical_review"] is None
    assert "reviewedBy" not in article["json_ld"]


def test_preview_of_an_unapproved_edit_shows_the_edit_while_the_api_shows_the_approved(api):
    page = unapproved_edit(published_article(slug="her2", title="Approved"), title="Edited")

    preview = api.get(
        "/api/v1/preview/",
        {"content_type": CONTENT_TYPE, "token": preview_token(latest_draft(page))},
    )

    assert preview.json()["title"] == "Edited"
    assert preview.json()["medical_review"]["status"] == "current"
    assert api.get("/api/v1/articles/her2/").json()["title"] == "Approved"


def test_preview_resolves_links_only_to_public_articles(api):
    public = published_article(slug="public")
    other_draft = article_draft(slug="other-draft")
    page = article_draft(
        slug="draft",
        body=[
            {"type": "read_more", "value": {"article": other_draft.pk, "text": ""}},
            {"type": "read_more", "value": {"article": public.pk, "text": ""}},
        ],
    )

    body = api.get(
        "/api/v1/preview/",
        {"content_type": CONTENT_TYPE, "token": preview_token(latest_draft(page))},
    ).json()["body"]

    assert [block["value"]["slug"] for block in body] == ["public"]


def test_preview_responses_are_never_cached(api):
    page = article_draft(slug="draft")
    token = preview_token(latest_draft(page))

    for params in (
        {"content_type": CONTENT_TYPE, "token": token},
        {"content_type": CONTENT_TYPE, "token": token + "x"},
        {},
    ):
        response = api.get("/api/v1/preview/", params)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert "ETag" not in response


def test_missing_or_wrong_parameters_are_a_400(api):
    assert api.get("/api/v1/preview/").json() == {
        "content_type": ["This field is required."],
        "token": ["This field is required."],
    }
    response = api.get("/api/v1/preview/", {"content_type": "wagtailcore.page", "token": "t"})
    assert response.status_code == 400
    assert list(response.json()) == ["content_type"]


def test_an_expired_token_is_a_403_saying_so(api):
    token = preview_token(latest_draft(article_draft(slug="draft")), age_seconds=601)

    response = api.get("/api/v1/preview/", {"content_type": CONTENT_TYPE, "token": token})

    assert response.status_code == 403
    assert response.json() == {
        "detail": "This preview link has expired. Press Preview in the editor again."
    }


def test_a_forged_token_is_a_403(api):
    response = api.get(
        "/api/v1/preview/", {"content_type": CONTENT_TYPE, "token": "id=1:1abcde:forged"}
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "This preview token is not valid."}
