"""The API's rate limits, counted in one cache round trip per request.

Who is counted:

- a request with a delivery key (`api.keys`), per key, at the key's own rate
  per minute, whatever address it comes from: a server-side frontend is one
  client however many readers it serves;
- any other request, per client address (``NUM_PROXIES``), at the anonymous
  rate (``VETTED_API_THROTTLE_RATE``);
- a request the reference frontend makes in-process (`in_process_mark`), not at
  all: it is not a client of its own, and the reader it serves asked for a
  public page, which the CDN caches like any other.

DRF's `AnonRateThrottle` keeps every request's time in a list that it reads and
writes back whole: two round trips to the cache per request and a list as long
as the rate. This counts requests in fixed windows of the rate's period with
one atomic increment instead; while a client is far from its limit, a request
a process answers without asking the shared cache (a response from its memory,
or any request when responses are not cached) is counted there until the
client's next round trip (`api.response_cache.NearCache`). A client may spend
a whole allowance at the end of one window and another at the start of the
next.

The counters live in the default cache. With Redis (``REDIS_URL``) every
process counts against the same allowance; with the local-memory cache each
process counts its own, so N processes let N times the rate through.
"""

from rest_framework.throttling import AnonRateThrottle

from . import keys, response_cache

_IN_PROCESS = "_delivery_in_process"


def in_process_mark(request):
    """Mark `request`, built in this process for this process's own API views, as no
    client's. An attribute of the request object: nothing a remote client sends can set it."""
    setattr(request, _IN_PROCESS, True)


def in_process(request):
    # DRF's Request reads missing attributes from the Django request it wraps.
    return getattr(request, _IN_PROCESS, False)


class DeliveryThrottle(AnonRateThrottle):
    """Per delivery key at its rate, otherwise per address at the anonymous rate."""

    KEY_PERIOD = 60  # seconds: a key's rate is per minute

    def get_cache_key(self, request, view):
        # The API has no accounts: every anonymous client is counted by its address,
        # whether or not a session cookie (an editor's browser) comes along.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        counter = self.counter(request, view)
        if counter is None:
            return True
        return self.allow_count(response_cache.count(counter))

    def counter(self, request, view):
        """The request counter (`response_cache.Counter`) of this client's current
        window, or None when no limit applies. A refused key is DRF's 401 before this."""
        if in_process(request):
            return None
        grant = keys.delivery_key_grant(request)
        if grant is not None:
            key = self.cache_format % {"scope": "key", "ident": grant.id}
            self.limit, self.period = grant.requests_per_minute, self.KEY_PERIOD
        elif self.rate is None:
            return None
        else:
            key = self.get_cache_key(request, view)
            self.limit, self.period = self.num_requests, self.duration
        self.now = self.timer()
        window = int(self.now // self.period)
        self.retry_at = (window + 1) * self.period
        return response_cache.Counter(
            key=f"{key}:{window}", timeout=self.period + 1, limit=self.limit
        )

    def allow_count(self, count):
        """Whether the request that brought the counter to `count` is allowed."""
        return count <= self.limit

    def wait(self):
        return max(self.retry_at - self.now, 1)
