"""Whole API responses kept until what they show changes: in the shared cache, and
for a tenth of a second at a time in each process.

On when ``VETTED["API_RESPONSE_CACHE"]`` is (by default, when Redis is the
cache). Every stored response carries its cache tags (`api.cache_tags`) and the
invalidation sequence number read when it was looked up. `tags_invalidate()`
(after each committed change, `api.tasks`) takes the next sequence number and
records it against each changed tag; a stored response is served only while
none of its tags was invalidated after its lookup. So a change drops exactly the
responses that show what changed, and a response built from what was read
before a change committed is never served after it, whichever process wrote it.
Keys carry the date too: an article's review status turns overdue at midnight
without any change being saved.

Each process also keeps the responses it served recently (`NearCache`), with
the sequence number as it last read it from the shared cache. For
`NEAR_SECONDS` after that read, a response kept under that number is served
from memory, without a round trip; the next request after that reads the
number again, and a process that finds it moved forgets its copies. So a change
committed in one process is served by it at once and by every other process
within `NEAR_SECONDS` (0.1 s; CDN purges wait that long, `api.tasks`).

Only successful responses are kept; preview responses never come here.
"""

import hashlib
import threading
import time
import weakref
from collections import OrderedDict
from typing import NamedTuple

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.utils import timezone
from django.utils.http import quote_etag

from cms.options import vetted_option

SEQUENCE_KEY = "api:responses:sequence"
TAG_KEY_PREFIX = "api:responses:tag:"
# How long a process trusts the sequence number it read before reading it again.
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


def tags_invalidate(tags):
    """Make every cached response that names one of `tags` unreachable (called once a
    change has committed)."""
    if not enabled() or not tags:
        return
    client = _redis()
    if client is not None:
        keys = [client.make_key(SEQUENCE_KEY), *(client.make_key(_tag_key(tag)) for tag in tags)]
        sequence = client.get_client(write=True).eval(
            _INVALIDATE_SCRIPT, len(keys), *keys, _tag_timeout()
        )
    else:
        sequence = count_request(SEQUENCE_KEY, None)
        cache.set_many({_tag_key(tag): sequence for tag in tags}, timeout=_tag_timeout())
    _near().sequence_read(int(sequence), _clock())


def _tag_key(tag):
    return f"{TAG_KEY_PREFIX}{tag}"


def _response_timeout():
    return vetted_option("API_CACHE_SECONDS") * 10


def _tag_timeout():
    # Outlives every response that could be checked against it.
    return _response_timeout() * 2


# Atomically: the next sequence number, recorded against each tag. The number is
# Redis's clock in microseconds (or one more than the last, if that is later), not
# a bare counter: a Redis that evicts the sequence key under memory pressure must
# not start again from 1 below the numbers stored responses were built under.
_INVALIDATE_SCRIPT = """
local now = redis.call('TIME')
local sequence = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if sequence <= last then sequence = last + 1 end
redis.call('SET', KEYS[1], string.format('%.0f', sequence))
for i = 2, #KEYS do redis.call('SET', KEYS[i], string.format('%.0f', sequence), 'EX', ARGV[1]) end
return string.format('%.0f', sequence)
"""

# The current sequence number, and the stored response when none of its tags
# (listed in its meta key) was invalidated after the number it was built under.
_LOOKUP_SCRIPT = """
local sequence = tonumber(redis.call('GET', KEYS[1]) or '0')
local meta = redis.call('GET', KEYS[2])
if not meta then return {sequence, false} end
local built
for word in string.gmatch(meta, '%S+') do
  if built == nil then built = tonumber(word)
  else
    local invalidated = redis.call('GET', ARGV[1] .. word)
    if invalidated and tonumber(invalidated) > built then return {sequence, false} end
  end
end
return {sequence, redis.call('GET', KEYS[3])}
"""


class Counter(NamedTuple):
    """A rate limit's request counter for one client and period."""

    key: str
    timeout: int  # seconds the shared counter lives
    limit: int  # requests allowed in the period


class Hit:
    """A kept response: its bytes and the headers that describe them."""

    __slots__ = ("content", "etag", "size", "tags")

    def __init__(self, content, etag, tags):
        self.content = content
        self.etag = etag
        self.tags = tags
        self.size = len(content) + 200 + 30 * len(tags)

    @classmethod
    def built(cls, *, content, tags):
        """The response `content` (bytes) with its cache `tags`, and its ETag computed once."""
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
        return cls(content, etag, sorted(tags))

    def stored(self):
        return (self.content, self.etag, self.tags)


class Tally:
    """One client's requests in this process: the shared count at the last round trip,
    and the requests counted here since."""

    __slots__ = ("counted", "expires", "pending")

    def __init__(self, expires):
        self.counted = 0
        self.pending = 0
        self.expires = expires


class NearCache:
    """This process's copy of recent responses and of the sequence number they belong to.

    It also counts rate-limited requests between round trips: a request it
    answers from memory (or, when responses are not cached, any request: `count`)
    is added to the client's tally here, and the tally goes
    to the shared counter with the client's next round trip. A process counts
    here at most 1/`LOCAL_SHARE` of the client's remaining allowance, so in one
    process the limit holds exactly (a client near its limit makes a round trip
    for every request) and across N processes it can be exceeded by at most
    N/`LOCAL_SHARE` of the allowance, counted once the client returns.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.sequence = None
        self.read_at = float("-inf")
        self.responses = OrderedDict()  # key -> (sequence, Hit), least recently used first
        self.size = 0
        self.tallies = {}

    def sequence_fresh(self, now):
        """The sequence number, when read from the shared cache less than NEAR_SECONDS ago."""
        if now - self.read_at < NEAR_SECONDS:
            return self.sequence
        return None

    def sequence_read(self, sequence, now):
        with self.lock:
            if sequence != self.sequence:
                self.responses.clear()
                self.size = 0
                self.sequence = sequence
            self.read_at = now
            self._tallies_prune(now)

    def _tallies_prune(self, now):
        for key in [key for key, tally in self.tallies.items() if tally.expires <= now]:
            del self.tallies[key]

    def response(self, key, sequence):
        with self.lock:
            kept = self.responses.get(key)
            if kept is None or kept[0] != sequence:
                return None
            self.responses.move_to_end(key)
            return kept[1]

    def keep(self, key, sequence, hit):
        with self.lock:
            if sequence != self.sequence or hit.size > NEAR_BYTES:
                return
            previous = self.responses.pop(key, None)
            if previous is not None:
                self.size -= previous[1].size
            self.responses[key] = (sequence, hit)
            self.size += hit.size
            while self.size > NEAR_BYTES:
                _key, (_sequence, oldest) = self.responses.popitem(last=False)
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
                    self._tallies_prune(now)
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

    def __init__(self, *, key, sequence, hit, count=None):
        self.key = key
        self.sequence = sequence
        self.hit = hit
        # The client's request count after this request, when one was counted.
        self.count = count

    def keep(self, *, content, tags):
        """Keep `content` (bytes) with its cache `tags` and its ETag; return it as a `Hit`."""
        hit = Hit.built(content=content, tags=tags)
        meta = " ".join([str(self.sequence), *hit.tags])
        timeout = _response_timeout()
        client = _redis()
        if client is not None:
            # The meta string as it is, for the lookup script to read.
            pipeline = client.get_client(write=True).pipeline(transaction=False)
            pipeline.set(client.make_key(self.key), client.encode(hit.stored()), ex=timeout)
            pipeline.set(client.make_key(_meta_key(self.key)), meta, ex=timeout)
            pipeline.execute()
        else:
            cache.set_many({self.key: hit.stored(), _meta_key(self.key): meta}, timeout=timeout)
        _near().keep(self.key, self.sequence, hit)
        return hit


def _meta_key(key):
    return f"{key}:meta"


def lookup(request, *, counter=None):
    """The kept response of `request` (a `Hit`, or None) and where to keep one,
    or None when responses are not cached.

    From this process's memory when it read the sequence number less than
    NEAR_SECONDS ago and may count the request here; otherwise in one round trip
    to the shared cache, which reads the sequence number and the response
    together (a response with a tag invalidated since it was built is a miss)
    and adds this request, and those counted here since, to the `counter` (a
    `Counter`), when given.
    """
    if not enabled():
        return None
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    key = f"api:responses:{timezone.localdate().isoformat()}:{address}"
    near = _near()
    now = _clock()
    sequence = near.sequence_fresh(now)
    if sequence is not None and (hit := near.response(key, sequence)) is not None:
        count = None if counter is None else near.count_here(counter)
        if counter is None or count is not None:
            return Lookup(key=key, sequence=sequence, hit=hit, count=count)

    sent = 1 + (near.pending(counter) if counter is not None else 0)
    client = _redis()
    if client is not None:
        sequence, stored, count = _redis_round_trip(client, key, counter, sent)
    else:
        count = None if counter is None else count_request(counter.key, counter.timeout, sent)
        sequence, stored = _shared_lookup(key)
    if counter is not None:
        near.counted(counter, count=count, sent=sent, now=now)
    near.sequence_read(sequence, now)
    hit = None
    if stored is not None:
        hit = Hit(*stored)
        near.keep(key, sequence, hit)
    return Lookup(key=key, sequence=sequence, hit=hit, count=count)


def _shared_lookup(key):
    """``(sequence, stored)`` from a cache other than Redis, in two round trips."""
    meta_key = _meta_key(key)
    found = cache.get_many([SEQUENCE_KEY, meta_key, key])
    sequence, meta, stored = (found.get(name) for name in (SEQUENCE_KEY, meta_key, key))
    if meta is None or stored is None:
        return sequence or 0, None
    built, *tags = meta.split()
    invalidated = cache.get_many([_tag_key(tag) for tag in tags]).values()
    if any(number > int(built) for number in invalidated):
        return sequence or 0, None
    return sequence or 0, stored


def count(counter):
    """The client's request count after this request, for a request the shared cache
    is not asked about (responses are not cached): counted here, as `lookup` counts
    a response served from memory, while the client is far from its limit, and
    otherwise added to the shared counter with those counted here since."""
    near = _near()
    count = near.count_here(counter)
    if count is not None:
        return count
    sent = 1 + near.pending(counter)
    count = count_request(counter.key, counter.timeout, sent)
    near.counted(counter, count=count, sent=sent, now=_clock())
    return count


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
    """``(sequence, stored, count)`` in one pipeline to Redis, in the encoding the cache
    API reads and writes (django-redis stores integers as they are, so INCRBY and the
    cache's ``incr`` count alike, and the meta string is read by the script)."""
    redis = client.get_client(write=True)
    pipeline = redis.pipeline(transaction=False)
    if counter is not None:
        counter_key = client.make_key(counter.key)
        pipeline.set(counter_key, 0, ex=counter.timeout, nx=True)
        pipeline.incrby(counter_key, amount)
    keys = [client.make_key(name) for name in (SEQUENCE_KEY, _meta_key(key), key)]
    pipeline.eval(_LOOKUP_SCRIPT, len(keys), *keys, client.make_key(TAG_KEY_PREFIX))
    *counted, (sequence, stored) = pipeline.execute()
    return (
        int(sequence),
        None if stored is None else client.decode(stored),
        counted[-1] if counted else None,
    )
