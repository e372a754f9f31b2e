"""Whole API responses kept until what readers see changes: in the shared cache, and
for a tenth of a second at a time in each process.

On when ``VETTED["API_RESPONSE_CACHE"]`` is (by default, when Redis is the
cache). Every stored response carries the generation it was built under, and
`invalidate()` replaces the generation after each committed change to delivery
documents, view restrictions or page positions, so a stale response is never
served again, whichever process wrote it. Keys carry the date too: an article's
review status turns overdue at midnight without any change being saved.

Each process also keeps the responses it served recently (`NearCache`), with
the generation as it last read it from the shared cache. For `NEAR_SECONDS`
after that read, a response kept under that generation is served from memory,
without a round trip; the next request after that reads the generation again.
So a change committed in one process is served by it at once and by every
other process within `NEAR_SECONDS` (0.1 s, well inside the second the
clinician's approval may take to reach readers, and nothing beside the minute
that HTTP caches may keep a response anyway).

Only successful responses are kept; preview responses never come here.
"""

import hashlib
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from typing import NamedTuple

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.utils import timezone
from django.utils.http import http_date, quote_etag

from cms.options import vetted_option

GENERATION_KEY = "api:responses:generation"
# How long a process trusts the generation it read before reading it again.
NEAR_SECONDS = 0.1
# How many bytes of responses each process keeps (the oldest used go first).
NEAR_BYTES = 16 * 1024 * 1024
# A process counts requests against a client's rate limit without a round trip
# only while it has counted less than 1/LOCAL_SHARE of what the client had left.
LOCAL_SHARE = 8
# How many clients' counters a process keeps; others are counted in the shared cache.
TALLIES_MAX = 10_000


def enabled():
    return vetted_option("API_RESPONSE_CACHE")


def invalidate():
    """Make every cached response unreachable (called once a change has committed)."""
    if enabled():
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, timeout=None)
        _near().generation_read(generation, _clock())


class Counter(NamedTuple):
    """A rate limit's request counter for one client and period."""

    key: str
    timeout: int  # seconds the shared counter lives
    limit: int  # requests allowed in the period


class Hit:
    """A kept response: its bytes and the headers that describe them."""

    __slots__ = ("content", "etag", "last_modified", "last_modified_http", "size")

    def __init__(self, content, last_modified, etag):
        self.content = content
        self.last_modified = last_modified
        self.etag = etag
        self.last_modified_http = (
            None if last_modified is None else http_date(last_modified.timestamp())
        )
        self.size = len(content) + 200

    def stored(self, generation):
        return (generation, self.content, self.last_modified, self.etag)


class Tally:
    """One client's requests in this process: the shared count at the last round trip,
    and the requests counted here since."""

    __slots__ = ("counted", "expires", "pending")

    def __init__(self, expires):
        self.counted = 0
        self.pending = 0
        self.expires = expires


class NearCache:
    """This process's copy of recent responses and of the generation they belong to.

    It also counts rate-limited requests between round trips: a request it
    answers from memory is added to the client's tally here, and the tally goes
    to the shared counter with the client's next round trip. A process counts
    here at most 1/`LOCAL_SHARE` of the client's remaining allowance, so in one
    process the limit holds exactly (a client near its limit makes a round trip
    for every request) and across N processes it can be exceeded by at most
    N/`LOCAL_SHARE` of the allowance, counted once the client returns.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = None
        self.read_at = float("-inf")
        self.responses = OrderedDict()  # key -> (generation, Hit), least recently used first
        self.size = 0
        self.tallies = {}

    def generation_fresh(self, now):
        """The generation, when it was read from the shared cache less than NEAR_SECONDS ago."""
        if now - self.read_at < NEAR_SECONDS:
            return self.generation
        return None

    def generation_read(self, generation, now):
        with self.lock:
            if generation != self.generation:
                self.responses.clear()
                self.size = 0
                self.generation = generation
            self.read_at = now
            for key in [key for key, tally in self.tallies.items() if tally.expires <= now]:
                del self.tallies[key]

    def response(self, key, generation):
        with self.lock:
            kept = self.responses.get(key)
            if kept is None or kept[0] != generation:
                return None
            self.responses.move_to_end(key)
            return kept[1]

    def keep(self, key, generation, hit):
        with self.lock:
            if generation != self.generation or hit.size > NEAR_BYTES:
                return
            previous = self.responses.pop(key, None)
            if previous is not None:
                self.size -= previous[1].size
            self.responses[key] = (generation, hit)
            self.size += hit.size
            while self.size > NEAR_BYTES:
                _key, (_generation, oldest) = self.responses.popitem(last=False)
                self.size -= oldest.size

    def count_here(self, counter):
        """The client's count after this request, counted here; None when it needs a round trip."""
        with self.lock:
            tally = self.tallies.get(counter.key)
            if tally is None or (tally.pending + 1) * LOCAL_SHARE > counter.limit - tally.counted:
                return None
            tally.pending += 1
            return tally.counted + tally.pending

    def pending(self, counter):
        """Requests counted here that the shared counter has not seen yet."""
        tally = self.tallies.get(counter.key)
        return 0 if tally is None else tally.pending

    def counted(self, counter, *, count, sent, now):
        """The shared counter reads `count` after `sent` of this process's requests were added."""
        with self.lock:
            tally = self.tallies.get(counter.key)
            if tally is None:
                if len(self.tallies) >= TALLIES_MAX:
                    return
                tally = self.tallies[counter.key] = Tally(expires=now + counter.timeout)
            tally.pending = max(0, tally.pending - (sent - 1))
            tally.counted = count


_NEAR = weakref.WeakKeyDictionary()
_clock = time.monotonic


def _near():
    """The near cache of this process's (this thread's) default cache connection."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    near = _NEAR.get(backend)
    if near is None:
        near = _NEAR[backend] = NearCache()
    return near


def near_forget():
    """Drop every process-local copy (the shared cache's contents stay)."""
    _NEAR.clear()


class Lookup:
    """The cache's answer for one request: the kept response, or where to keep one."""

    def __init__(self, *, key, generation, hit, count=None):
        self.key = key
        self.generation = generation
        self.hit = hit
        # The client's request count after this request, when one was counted.
        self.count = count

    def keep(self, *, content, last_modified):
        """Keep `content` (bytes) with its Last-Modified and its ETag, computed once."""
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
        hit = Hit(content, last_modified, etag)
        timeout = vetted_option("API_CACHE_SECONDS") * 10
        cache.set(self.key, hit.stored(self.generation), timeout=timeout)
        _near().keep(self.key, self.generation, hit)


def lookup(request, *, counter=None):
    """The kept response of `request` (a `Hit`, or None) and where to keep one,
    or None when responses are not cached.

    From this process's memory when it read the generation less than
    NEAR_SECONDS ago and may count the request here; otherwise in one round trip
    to the shared cache, which reads the generation and the response together
    (a response kept under another generation is a miss) and adds this request,
    and those counted here since, to the `counter` (a `Counter`), when given.
    """
    if not enabled():
        return None
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    key = f"api:responses:{timezone.localdate().isoformat()}:{address}"
    near = _near()
    now = _clock()
    generation = near.generation_fresh(now)
    if generation is not None and (hit := near.response(key, generation)) is not None:
        count = None if counter is None else near.count_here(counter)
        if counter is None or count is not None:
            return Lookup(key=key, generation=generation, hit=hit, count=count)

    sent = 1 + (near.pending(counter) if counter is not None else 0)
    client = _redis()
    if client is not None:
        generation, stored, count = _redis_round_trip(client, key, counter, sent)
    else:
        count = None if counter is None else count_request(counter.key, counter.timeout, sent)
        found = cache.get_many([GENERATION_KEY, key])
        generation, stored = found.get(GENERATION_KEY), found.get(key)
    if counter is not None:
        near.counted(counter, count=count, sent=sent, now=now)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another process may have set one meanwhile: theirs wins.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    near.generation_read(generation, now)
    hit = None
    if stored is not None and stored[0] == generation:
        hit = Hit(*stored[1:])
        near.keep(key, generation, hit)
    return Lookup(key=key, generation=generation, hit=hit, count=count)


def count_request(key, timeout, amount=1):
    """Add `amount` to the counter `key` (created for `timeout` seconds); return its value."""
    try:
        return cache.incr(key, amount)
    except ValueError:
        # The first request of the counter's period (or its key just expired).
        if cache.add(key, amount, timeout=timeout):
            return amount
        return cache.incr(key, amount)


def _redis():
    """The Redis client behind the default cache, when it is django-redis's."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client


def _redis_round_trip(client, key, counter, amount):
    """``(generation, stored, count)`` in one pipeline to Redis, in the encoding the cache
    API reads and writes (django-redis stores integers as they are, so INCRBY and the
    cache's ``incr`` count alike)."""
    redis = client.get_client(write=True)
    pipeline = redis.pipeline(transaction=False)
    if counter is not None:
        counter_key = client.make_key(counter.key)
        pipeline.set(counter_key, 0, ex=counter.timeout, nx=True)
        pipeline.incrby(counter_key, amount)
    pipeline.mget([client.make_key(GENERATION_KEY), client.make_key(key)])
    *counted, (generation, stored) = pipeline.execute()
    decode = client.decode
    return (
        None if generation is None else decode(generation),
        None if stored is None else decode(stored),
        counted[-1] if counted else None,
    )
