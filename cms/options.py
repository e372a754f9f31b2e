"""Vetted's project options: one namespaced setting, ``settings.VETTED``."""

from django.conf import settings

DEFAULTS = {
    # How long an approval stays current before the article is due for re-review.
    "REVIEW_INTERVAL_DAYS": 365,
    # Where the public frontend serves an article: ``<base><slug>/``.
    "FRONTEND_BASE_URL": "/articles/",
    # How old a reviewer's latest declaration of interests may be when they approve.
    "INTEREST_DECLARATION_MAX_AGE_DAYS": 365,
    # How long a headless preview token is accepted.
    "PREVIEW_TOKEN_MAX_AGE_SECONDS": 600,
    # ``Cache-Control: max-age`` for public API responses.
    "API_CACHE_SECONDS": 60,
    # Whether API responses are kept in the shared cache until published content
    # changes. Only safe when every process shares the cache (Redis): on when
    # REDIS_URL is set, unless VETTED_API_RESPONSE_CACHE says otherwise.
    "API_RESPONSE_CACHE": False,
    # ``max-age`` of a 404: short, since it stops being true when the article is published.
    "API_NOT_FOUND_CACHE_SECONDS": 5,
    # The public origin readers use, for URL purges (default: WAGTAILADMIN_BASE_URL).
    "PUBLIC_BASE_URL": "",
    # ``{name: {"BACKEND": dotted path, **params}}`` of the tag-purge backends (api.purging).
    "CACHE_PURGE_BACKENDS": {},
    # How many results of a search are counted: past it, a list says "at least this
    # many" (``count_capped``) and its page numbers stop there (`api.views`).
    "SEARCH_COUNT_LIMIT": 1000,
    # Whether the API's reads run as prepared statements on PostgreSQL (`api.prepared`).
    "PREPARED_STATEMENTS": True,
    # How long a purge the CDN refuses is retried.
    "CACHE_PURGE_RETRY_HOURS": 24,
    # Whether `seed_demo` may create demo users and content (never in production).
    "ALLOW_DEMO_DATA": True,
}


def vetted_option(name):
    """Return the project option `name`, falling back to its default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown Vetted option {name!r}")
    return getattr(settings, "VETTED", {}).get(name, DEFAULTS[name])
