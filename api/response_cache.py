"""Whole API responses kept in the shared cache until what readers see changes.

On when ``VETTED["API_RESPONSE_CACHE"]`` is (by default, when Redis is the
cache). Every stored response carries the generation it was built under, and
`invalidate()` replaces the generation after each committed change to delivery
documents, view restrictions or page positions, so a stale response is never
served again, whichever process wrote it. Keys carry the date too: an article's
review status turns overdue at midnight without any change being saved.

Only successful responses are kept; preview responses never come here.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.utils import timezone
from django.utils.http import quote_etag

from cms.options import vetted_option

GENERATION_KEY = "api:responses:generation"


def enabled():
    return vetted_option("API_RESPONSE_CACHE")


def invalidate():
    """Make every cached response unreachable (called once a change has committed)."""
    if enabled():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


class Lookup:
    """The cache's answer for one request: the stored response, or where to keep one."""

    def __init__(self, *, key, generation, hit, count=None):
        self.key = key
        self.generation = generation
        self.hit = hit
        # The request counter's value after this request, when one was counted.
        self.count = count

    def keep(self, *, content, last_modified):
        """Keep `content` (bytes) with its Last-Modified and its ETag, computed once."""
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
        timeout = vetted_option("API_CACHE_SECONDS") * 10
        cache.set(self.key, (self.generation, content, last_modified, etag), timeout=timeout)


def lookup(request, *, counter=None):
    """The cached ``(content, last_modified, etag)`` of `request` and where to keep it,
    or None when responses are not cached.

    One round trip: the generation and the response are read together, and a
    response kept under another generation is a miss. `counter`, a
    ``(key, timeout)`` pair, is a request counter (the rate limit's) to increase
    in the same round trip; its new value is `Lookup.count`.
    """
    if not enabled():
        return None
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    key = f"api:responses:{timezone.localdate().isoformat()}:{address}"
    client = _redis()
    if client is not None:
        generation, stored, count = _redis_round_trip(client, key, counter)
    else:
        count = count_request(*counter) if counter is not None else None
        found = cache.get_many([GENERATION_KEY, key])
        generation, stored = found.get(GENERATION_KEY), found.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another process may have set one meanwhile: theirs wins.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    hit = None
    if stored is not None and stored[0] == generation:
        hit = stored[1:]
    return Lookup(key=key, generation=generation, hit=hit, count=count)


def count_request(key, timeout):
    """Add one to the counter `key` (created for `timeout` seconds); return its value."""
    try:
        return cache.incr(key)
    except ValueError:
        # The first request of the counter's period (or its key just expired).
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)


def _redis():
    """The Redis client behind the default cache, when it is django-redis's."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client


def _redis_round_trip(client, key, counter):
    """``(generation, stored, count)`` in one pipeline to Redis, in the encoding the cache
    API reads and writes (django-redis stores integers as they are, so INCR and the
    cache's ``incr`` count alike)."""
    redis = client.get_client(write=True)
    pipeline = redis.pipeline(transaction=False)
    if counter is not None:
        counter_key, timeout = counter
        counter_key = client.make_key(counter_key)
        pipeline.set(counter_key, 0, ex=timeout, nx=True)
        pipeline.incr(counter_key)
    pipeline.mget([client.make_key(GENERATION_KEY), client.make_key(key)])
    *counted, (generation, stored) = pipeline.execute()
    decode = client.decode
    return (
        None if generation is None else decode(generation),
        None if stored is None else decode(stored),
        counted[-1] if counted else None,
    )
