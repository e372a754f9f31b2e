"""The Content-Security-Policy header, chosen by what a response is.

HTML (the Wagtail admin, the API's interactive docs) gets the site's policy,
``CONTENT_SECURITY_POLICY``: the sources Wagtail 8's admin needs and no more,
inline script included. The reference frontend's pages are what readers see,
on the admin's own origin unless deployed apart: they get `reader_policy()`,
which runs no script at all. JSON (the delivery API, the admin's own JSON
endpoints) is data that no browser should ever run or frame, so it gets the
strictest policy whatever the settings say. A view that sets its own policy
(django-csp's decorators, or the header itself, as the preview does) keeps it.
"""

from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings

JSON_POLICY = {
    "default-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}
# The URL namespace of the reference frontend (`frontend.urls`).
READER_PAGES = "frontend"


def reader_policy():
    """The reference frontend's policy: its markup, its stylesheet and images, no script.

    Rich text reaches these pages sanitised (`reader.rich_text`); should markup
    ever get past that, no script runs, inline or from anywhere, and nothing
    loads from elsewhere, posts a form or rewrites links with ``<base>``. JSON-LD
    (``<script type="application/ld+json">``) is data, which no policy blocks.
    """
    sources = [SELF, *_origins(settings.STATIC_URL, settings.MEDIA_URL)]
    return {
        "default-src": [NONE],
        "script-src": [NONE],
        "style-src": sources,
        "img-src": sources,
        "base-uri": [NONE],
        "form-action": [NONE],
        "frame-ancestors": [NONE],
    }


def is_json(response):
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def is_reader_page(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and READER_PAGES in match.namespaces


def _origins(*urls):
    """The origins of those of `urls` that are absolute (static or media on a CDN)."""
    parts = [urlsplit(url) for url in urls]
    return sorted({f"{p.scheme}://{p.netloc}" for p in parts if p.scheme and p.netloc})


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            if is_json(response):
                parts.config = JSON_POLICY
            elif is_reader_page(request):
                parts.config = reader_policy()
        return parts
