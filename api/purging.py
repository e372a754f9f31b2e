"""Purging CDNs by cache tag (`api.cache_tags`), and by URL through Wagtail.

One backend per kind of cache, each a few lines over its documented purge
request, configured from the environment (``VETTED["CACHE_PURGE_BACKENDS"]``,
see `cms.settings.base`):

- `VarnishXkeyBackend`: ``PURGE /`` with ``xkey-purge: <tags>``, which the VCL in
  ``bench/varnish/vetted.vcl`` answers with ``xkey.purge()`` (varnish-modules).
- `FastlyBackend`: Fastly's purge by surrogate key
  (``POST /service/<id>/purge`` with ``Surrogate-Key``).
- `CloudflareBackend`: Cloudflare's purge by cache tag
  (``POST /zones/<zone>/purge_cache`` with ``{"tags": [...]}``).

A backend that does not accept a purge raises `PurgeFailed`; the task that
called it tries again later (`api.tasks.cache_purge`). Caches that purge only by
URL (nginx, a plain HTTP cache) keep Wagtail's frontend-cache backends
(``WAGTAILFRONTENDCACHE``); `urls_purge` sends them the public addresses of
what changed, on the public host (``VETTED["PUBLIC_BASE_URL"]``) whatever the
Site's hostname says.
"""

import logging
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from cms.options import vetted_option

from . import cache_tags

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


class PurgeFailed(Exception):
    """A CDN did not accept a purge (unreachable, or an error status)."""


class TagPurgeBackend:
    """Purges every cached response that names one of some tags."""

    # How many tags one request may carry.
    batch_size = 100

    def purge(self, tags):
        for start in range(0, len(tags), self.batch_size):
            self.purge_batch(tags[start : start + self.batch_size])

    def purge_batch(self, tags):
        raise NotImplementedError

    def _send(self, method, url, **kwargs):
        try:
            response = requests.request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as error:
            raise PurgeFailed(f"{type(self).__name__}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise PurgeFailed(
                f"{type(self).__name__}: {method} {url} answered {response.status_code}: "
                f"{response.text[:200]}"
            )
        return response


class VarnishXkeyBackend(TagPurgeBackend):
    """Varnish with the xkey module: ``LOCATION`` is the cache's own address."""

    def __init__(self, *, LOCATION):  # noqa: N803 (settings keys, as Wagtail's backends)
        self.location = LOCATION

    def purge_batch(self, tags):
        self._send("PURGE", urljoin(self.location, "/"), headers={"xkey-purge": " ".join(tags)})


class FastlyBackend(TagPurgeBackend):
    """Fastly: purge by surrogate key, at most 256 keys per request."""

    batch_size = 256

    def __init__(self, *, SERVICE_ID, API_TOKEN, API_URL="https://api.fastly.com"):  # noqa: N803
        self.url = f"{API_URL.rstrip('/')}/service/{SERVICE_ID}/purge"
        self.token = API_TOKEN

    def purge_batch(self, tags):
        self._send(
            "POST",
            self.url,
            headers={"Fastly-Key": self.token, "Surrogate-Key": " ".join(tags)},
        )


class CloudflareBackend(TagPurgeBackend):
    """Cloudflare: purge by cache tag, at most 100 tags per request."""

    def __init__(  # noqa: N803
        self, *, ZONE_ID, API_TOKEN, API_URL="https://api.cloudflare.com/client/v4"
    ):
        self.url = f"{API_URL.rstrip('/')}/zones/{ZONE_ID}/purge_cache"
        self.token = API_TOKEN

    def purge_batch(self, tags):
        response = self._send(
            "POST",
            self.url,
            headers={"Authorization": f"Bearer {self.token}"},
            json={"tags": list(tags)},
        )
        if not response.json().get("success"):
            raise PurgeFailed(f"CloudflareBackend: {response.text[:200]}")


def backends():
    """``{name: backend}`` of the configured tag-purge backends."""
    configured = vetted_option("CACHE_PURGE_BACKENDS")
    return {
        name: import_string(config["BACKEND"])(
            **{key: value for key, value in config.items() if key != "BACKEND"}
        )
        for name, config in configured.items()
    }


def urls_configured():
    """Whether a URL-only cache is configured (Wagtail's ``WAGTAILFRONTENDCACHE``)."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def urls_for(tags):
    """The public addresses of what `tags` name that a URL-only cache may hold."""
    paths = set()
    for tag in tags:
        if tag.startswith("article-slug-"):
            slug = tag.removeprefix("article-slug-")
            paths.add(f"{vetted_option('FRONTEND_BASE_URL')}{slug}/")
            paths.add(reverse("api:article-detail", kwargs={"slug": slug}))
        elif tag in (cache_tags.ARTICLES, cache_tags.ALL):
            paths.add(reverse("api:article-list"))
            paths.add(reverse("frontend:home"))
    base = vetted_option("PUBLIC_BASE_URL") or settings.WAGTAILADMIN_BASE_URL
    return sorted(urljoin(base, path) for path in paths)


def urls_purge(urls):
    """Purge `urls` through Wagtail's frontend-cache backends, when any is configured.

    Wagtail's backends log a failed purge rather than raise it, so these are not
    retried: caches that honour tags are purged by `backends()`.
    """
    if not urls or not urls_configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)
