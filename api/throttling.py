"""The anonymous rate limit, counted in one cache round trip per request.

DRF's `AnonRateThrottle` keeps every request's time in a list that it reads and
writes back whole: two round trips to the cache per request and a list as long
as the rate. This counts requests per client address in fixed windows of the
rate's period with one atomic increment instead; a response a process serves
from its memory is counted there until the client's next round trip
(`api.response_cache.NearCache`). The rate, the client address (``NUM_PROXIES``)
and the cache are `AnonRateThrottle`'s. A client may spend a whole allowance at
the end of one window and another at the start of the next.
"""

from rest_framework.throttling import AnonRateThrottle

from . import response_cache


class AnonymousWindowThrottle(AnonRateThrottle):
    def get_cache_key(self, request, view):
        # The API has no accounts: every client is counted by its address, whether
        # or not a session cookie (an editor's browser) comes along.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        counter = self.counter(request, view)
        if counter is None:
            return True
        return self.allow_count(response_cache.count_request(counter.key, counter.timeout))

    def counter(self, request, view):
        """The request counter (`response_cache.Counter`) of this client's current
        window, or None when no limit applies."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.retry_at = (window + 1) * self.duration
        return response_cache.Counter(
            key=f"{key}:{window}", timeout=self.duration + 1, limit=self.num_requests
        )

    def allow_count(self, count):
        """Whether the request that brought the counter to `count` is allowed."""
        return count <= self.num_requests

    def wait(self):
        return max(self.retry_at - self.now, 1)
