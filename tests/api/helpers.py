"""Test data the API tests share, built through the project's factories."""

import io
import time
from unittest import mock

from django.core import signing
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from api.documents import document_write
from content_models.models import ArticlePage
from tests.factories import published_article

# The fields PRODUCT.md names for an article summary and an article in full.
SUMMARY_FIELDS = {
    "id",
    "slug",
    "title",
    "summary",
    "published_at",
    "updated_at",
    "author",
    "medical_reviewer",
    "reviewed_at",
    "topics",
}
DETAIL_FIELDS = SUMMARY_FIELDS | {
    "seo_title",
    "search_description",
    "key_takeaways",
    "body",
    "medical_review",
    "corrections",
    "json_ld",
}


def approved_at(moment, **kwargs):
    """A published article whose approval (and so its review date) was given at `moment`.

    Approvals are permanent, so the clock is set back while it is recorded.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return published_article(**kwargs)


def unapproved_edit(page, **changes):
    """Save `changes` to `page` as a draft revision nobody approved (the live row stays)."""
    topics = changes.pop("topics", None)
    for name, value in changes.items():
        setattr(page, name, value)
    if topics is not None:
        page.topics.set(topics)
    page.save_revision()
    return ArticlePage.objects.get(pk=page.pk)


def unpublished_article(**kwargs):
    """An article that was live and has been taken down."""
    page = published_article(**kwargs)
    page.unpublish()
    return ArticlePage.objects.get(pk=page.pk)


def private_article(**kwargs):
    """A live article behind a view restriction: not public."""
    page = published_article(**kwargs)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    return page


def image(*, title="Mammogram", size=(1200, 800)):
    """A Wagtail image with a real file behind it."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "white").save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.png")
    )


def paragraph(html):
    return {"type": "paragraph", "value": html}


def page_link(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def preview_token(page, *, age_seconds=0):
    """The token the Preview button would hand over for `page` (the draft as it is now),
    issued `age_seconds` ago."""
    issued = signing.b62_encode(int(time.time()) - age_seconds)
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=issued):
        return page.create_page_preview().token


def latest_draft(page):
    return page.get_latest_revision().as_object()


def live_row_backdate(article, **dates):
    """Move the dates of `article`'s live row, as if it had been published back then.

    Written past the gate (the dates are not reviewed content), so its delivery
    document is written again by hand, as the gate would.
    """
    ArticlePage.objects.filter(pk=article.pk).update(**dates)
    document_write(ArticlePage.objects.get(pk=article.pk))
