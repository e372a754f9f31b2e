"""Preview tokens: signed, short-lived, and good only for the draft they were issued for."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from wagtail_headless_preview.models import PagePreview

from api.previews import PreviewNotFound, PreviewRefused, preview_page
from content_models.models import ArticlePage
from tests.factories import AuthorFactory, article_draft, article_index

from .helpers import latest_draft, preview_token


def preview(token):
    return preview_page(model=ArticlePage, token=token)


@pytest.fixture
def draft():
    return article_draft(title="Draft for preview", slug="draft")


def test_a_fresh_token_gives_its_draft(draft):
    token = preview_token(latest_draft(draft))

    page = preview(token)

    assert page.pk == draft.pk
    assert page.title == "Draft for preview"


def test_a_token_shows_the_draft_as_it_was_when_issued(draft):
    token = preview_token(latest_draft(draft))
    draft.title = "Edited after the preview"
    draft.save_revision()

    assert preview(token).title == "Draft for preview"


def test_an_expired_token_is_refused(draft):
    token = preview_token(latest_draft(draft), age_seconds=601)

    with pytest.raises(PreviewRefused, match="expired"):
        preview(token)


def test_the_maximum_age_is_the_preview_token_option(draft, settings):
    settings.VETTED = {**settings.VETTED, "PREVIEW_TOKEN_MAX_AGE_SECONDS": 30}

    assert preview(preview_token(latest_draft(draft), age_seconds=20)).pk == draft.pk
    with pytest.raises(PreviewRefused, match="expired"):
        preview(preview_token(latest_draft(draft), age_seconds=40))


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace("id=", "id=9", 1),
        lambda token: signing.TimestampSigner(salt="another.salt").sign("id=1"),
        lambda token: signing.TimestampSigner(key="x" * 50, salt="headlesspreview.token").sign(
            token.split(":")[0]
        ),
        lambda token: "not-a-token",
        lambda token: "",
    ],
)
def test_a_forged_token_is_refused(draft, forge):
    token = forge(preview_token(latest_draft(draft)))

    with pytest.raises(PreviewRefused, match="not valid"):
        preview(token)


def test_a_token_never_gives_another_drafts_content(draft):
    other = article_draft(title="Someone else's draft", slug="other")
    token = preview_token(latest_draft(draft))
    PagePreview.objects.filter(token=token).update(content_json=latest_draft(other).to_json())

    with pytest.raises(PreviewRefused, match="another draft"):
        preview(token)


def test_a_valid_token_whose_draft_is_gone_is_not_found(draft):
    token = preview_token(latest_draft(draft))
    PagePreview.objects.filter(token=token).delete()

    with pytest.raises(PreviewNotFound):
        preview(token)


def new_page_preview(*, identity):
    page = ArticlePage(
        title="Not saved yet", slug="not-saved", summary="New.", author=AuthorFactory()
    )
    token = ArticlePage.get_preview_signer().sign(identity)
    PagePreview.objects.create(
        token=token,
        content_type=ContentType.objects.get_for_model(ArticlePage),
        content_json=page.to_json(),
    )
    return token


def test_a_page_not_saved_yet_is_matched_by_its_type():
    parent = article_index()
    token = new_page_preview(
        identity=f"parent_id={parent.pk};page_type=content_models.ArticlePage"
    )

    page = preview(token)

    assert page.pk is None
    assert page.title == "Not saved yet"


@pytest.mark.parametrize(
    "identity", ["parent_id=3;page_type=content_models.ArticleIndexPage", "id=3", "parent_id=3"]
)
def test_a_page_not_saved_yet_needs_a_token_for_a_new_article(identity):
    token = new_page_preview(identity=identity)

    with pytest.raises(PreviewRefused, match="another draft"):
        preview(token)
