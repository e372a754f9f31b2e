"""HTTP caching for the delivery API.

Public responses carry ``Cache-Control: public`` with ``max-age`` of
``API_CACHE_SECONDS`` for a 200 (and for a 400, which the same request gets
again), and of ``API_NOT_FOUND_CACHE_SECONDS`` (a few seconds) for a 404, which
stops being true the moment an article with that slug is published; anything
else, a 429 above all, is left for no shared cache to keep. Each names what it
shows in cache tags (`api.cache_tags`), so a change purges exactly the
responses that show it, and ``Vary: Accept`` (the API answers 406 by Accept).

A 200 carries an ETag that is a hash of the body itself, so it changes exactly
when the representation does (an author's bio, an unpublished "read more"
target, anything); ``If-None-Match`` with it gives 304. No ``Last-Modified`` is
sent: a representation changes without any date in it moving (an article
leaving a list, a bio edited), and a cache that revalidated by date would keep
the stale copy.
"""

from functools import partial

from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_vary_headers,
    set_response_etag,
)

from cms.options import vetted_option

from . import cache_tags

CACHEABLE_STATUSES = (200, 400, 404)


class PublicCacheMixin:
    """For views of public content: shared caching, tags, content ETag, 304 on If-None-Match.

    A view names what a response shows in ``self.cache_tags`` while it handles the
    request (`api.cache_tags`); every response names ``vetted`` at least.
    """

    def initial(self, request, *args, **kwargs):
        self.cache_tags = set()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if request.method not in ("GET", "HEAD"):
            return response
        public_headers_set(response, tags=getattr(self, "cache_tags", ()))
        if response.status_code == 200:
            # The ETag needs the rendered body, which exists only after rendering.
            response.add_post_render_callback(partial(_not_modified_if_unchanged, request))
        return response


def public_headers_set(response, *, tags):
    """Cache-Control and cache tags of a public response, by its status."""
    if response.status_code not in CACHEABLE_STATUSES:
        return
    response.headers["Cache-Control"] = public_cache_control_value(response.status_code)
    cache_tags.response_tags_set(response, tags)


def public_cache_control_value(status=200):
    """The Cache-Control of public responses: written here and nowhere else."""
    if status == 404:
        return f"public, max-age={vetted_option('API_NOT_FOUND_CACHE_SECONDS')}"
    return f"public, max-age={vetted_option('API_CACHE_SECONDS')}"


class NeverCacheMixin:
    """For views no cache may keep (a preview of a draft)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def _not_modified_if_unchanged(request, response):
    set_response_etag(response)
    return get_conditional_response(request, etag=response.headers["ETag"], response=response)
