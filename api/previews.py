"""Headless preview tokens: signed, short-lived, and good for one draft only.

wagtail-headless-preview issues the token when an editor presses Preview: it
signs the draft's identity (``id=<pk>``, or ``parent_id=…;page_type=…`` for a
page not yet saved) with a `TimestampSigner` and stores the draft's content
under that token (`PagePreview`). The package's own lookup checks the
signature but not its age; here the token must also be younger than the
``PREVIEW_TOKEN_MAX_AGE_SECONDS`` option and name the very draft stored under it.
"""

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from wagtail_headless_preview.models import PagePreview

from cms.options import vetted_option


class PreviewRefused(Exception):
    """The token does not give access to a draft; the message says why."""


class PreviewNotFound(PreviewRefused):
    """The token is valid but its draft is no longer stored."""


def preview_page(*, model, token):
    """The unsaved draft of `model` that `token` was issued for.

    Raises `PreviewRefused` for a token that is forged, expired or issued for
    another draft, and `PreviewNotFound` when the draft has since been cleared away.
    """
    try:
        identity = model.get_preview_signer().unsign(
            token, max_age=vetted_option("PREVIEW_TOKEN_MAX_AGE_SECONDS")
        )
    except signing.SignatureExpired as error:
        raise PreviewRefused(
            "This preview link has expired. Press Preview in the editor again."
        ) from error
    except signing.BadSignature as error:
        raise PreviewRefused("This preview token is not valid.") from error

    stored = PagePreview.objects.filter(
        token=token, content_type=ContentType.objects.get_for_model(model)
    ).first()
    if stored is None:
        raise PreviewNotFound(
            "This preview is no longer available. Press Preview in the editor again."
        )
    page = stored.as_page()
    if not isinstance(page, model) or not _issued_for(identity=identity, page=page, model=model):
        raise PreviewRefused("This preview token was issued for another draft.")
    return page


def _issued_for(*, identity, page, model):
    # Mirrors HeadlessPreviewMixin.create_page_preview. A page not saved yet has
    # no id, and its draft does not record the parent, so only its type is checked.
    if page.pk is not None:
        return identity == f"id={page.pk}"
    parent, _, page_type = identity.partition(";")
    return parent.startswith("parent_id=") and page_type == f"page_type={model._meta.label}"
