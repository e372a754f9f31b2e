"""Whole API responses kept in the shared cache until what readers see changes.

On when ``VETTED["API_RESPONSE_CACHE"]`` is (by default, when Redis is the
cache). Every key carries a generation that `invalidate()` replaces after each
committed change to delivery documents, view restrictions or page positions, so
a stale response is never read again, whichever process wrote it. Keys carry
the date too: an article's review status turns overdue at midnight without any
change being saved.

Only successful responses are kept; preview responses never come here.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.utils import timezone

from cms.options import vetted_option

GENERATION_KEY = "api:responses:generation"


def enabled():
    return vetted_option("API_RESPONSE_CACHE")


def invalidate():
    """Make every cached response unreachable (called once a change has committed)."""
    if enabled():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def response_key(request):
    """The cache key of `request`'s response, or None when responses are not cached."""
    if not enabled():
        return None
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another process may have set one meanwhile: theirs wins, ours is unused.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"api:responses:{generation}:{timezone.localdate().isoformat()}:{address}"


def cached(key):
    """``(content, last_modified)`` stored under `key`, or None."""
    if key is None:
        return None
    return cache.get(key)


def keep(key, *, content, last_modified):
    if key is not None:
        cache.set(key, (content, last_modified), timeout=vetted_option("API_CACHE_SECONDS") * 10)
