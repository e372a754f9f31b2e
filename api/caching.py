"""HTTP caching for the delivery API.

Public responses (200, and the 400 and 404 that the same request would get
again) carry ``Cache-Control: public, max-age=<API_CACHE_SECONDS>``; anything
else, a 429 above all, is left for no shared cache to keep. A 200 carries an
ETag that is a hash of the body itself, so it changes exactly when the
representation does (an author's bio, an unpublished "read more" target,
anything). ``If-None-Match`` with that ETag gives 304.

``Last-Modified`` is the newest ``updated_at`` in the body, but it is not used
to answer ``If-Modified-Since``: a representation can change without any of
its articles being republished (an article unpublished from a list, an
author's bio edited), and a 304 on the date alone would keep showing it.
"""

from functools import partial

from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    set_response_etag,
)
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from cms.options import vetted_option

CACHEABLE_STATUSES = (200, 400, 404)


class PublicCacheMixin:
    """For views of public content: shared caching, content ETag, 304 on If-None-Match."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code in CACHEABLE_STATUSES:
            public_cache_control(response)
            if response.status_code == 200:
                last_modified = _newest_update(response.data)
                if last_modified is not None:
                    response.headers["Last-Modified"] = http_date(last_modified.timestamp())
                # The ETag needs the rendered body, which exists only after rendering.
                response.add_post_render_callback(partial(_not_modified_if_unchanged, request))
        return response


def public_cache_control(response):
    response.headers["Cache-Control"] = public_cache_control_value()


def public_cache_control_value():
    """The Cache-Control of public API responses: written here and nowhere else."""
    return f"public, max-age={vetted_option('API_CACHE_SECONDS')}"


class NeverCacheMixin:
    """For views no cache may keep (a preview of a draft)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def _not_modified_if_unchanged(request, response):
    set_response_etag(response)
    # Without last_modified, Django decides on If-None-Match alone.
    return get_conditional_response(request, etag=response.headers["ETag"], response=response)


def _newest_update(data):
    if not isinstance(data, dict):
        return None
    items = data.get("results", [data])
    moments = [
        parse_datetime(item["updated_at"])
        for item in items
        if isinstance(item, dict) and item.get("updated_at")
    ]
    return max(moments, default=None)
