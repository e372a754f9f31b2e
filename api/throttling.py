"""The anonymous rate limit, counted in one cache round trip per request.

DRF's `AnonRateThrottle` keeps every request's time in a list that it reads and
writes back whole: two round trips to the cache per request and a list as long
as the rate. This counts requests per client address in fixed windows of the
rate's period with one atomic increment instead. The rate, the client address
(``NUM_PROXIES``) and the cache are `AnonRateThrottle`'s. A client may spend a
whole allowance at the end of one window and another at the start of the next.
"""

from rest_framework.throttling import AnonRateThrottle


class AnonymousWindowThrottle(AnonRateThrottle):
    def get_cache_key(self, request, view):
        # The API has no accounts: every client is counted by its address, whether
        # or not a session cookie (an editor's browser) comes along.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.retry_at = (window + 1) * self.duration
        self.now = now
        return self._count(f"{key}:{window}") <= self.num_requests

    def _count(self, key):
        """This window's requests, this one included."""
        try:
            return self.cache.incr(key)
        except ValueError:
            # The window's first request (or its key just expired): start it.
            if self.cache.add(key, 1, timeout=self.duration + 1):
                return 1
            return self.cache.incr(key)

    def wait(self):
        return max(self.retry_at - self.now, 1)
