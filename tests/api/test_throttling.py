"""Who the API's rate limits count: a delivery key per key, a reader's address per address,
and the reference frontend's own in-process requests not at all.

Each limit is checked on both of the API's paths: the response cache off (DRF's
throttle check) and on, in Redis (the request counted and its response looked up
in one round trip, `ArticleViewSet.dispatch`).
"""

import threading

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from api import keys, response_cache
from tests.factories import UserFactory, published_article

READER = "203.0.113.7"  # a hospital network: many readers, one address
FRONTEND_SERVER = "198.51.100.20"


@pytest.fixture
def rate(monkeypatch):
    """Set the anonymous rate inside the dict DRF's throttles read (they keep the one they
    saw at import), restored afterwards."""
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert AnonRateThrottle.THROTTLE_RATES is rates

    def set_rate(value):
        monkeypatch.setitem(rates, "anon", value)

    return set_rate


@pytest.fixture(params=["uncached", "redis"])
def api_path(request, settings):
    """Each of the API's two paths in turn: no response cache, and Redis's."""
    if request.param == "redis":
        request.getfixturevalue("shared_cache")
    else:
        settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": False}
    return request.param


@pytest.fixture
def her2():
    return published_article(slug="her2", title="What Is HER2?")


def key(rate):
    _key, token = keys.delivery_key_create(
        name="Web frontend", requests_per_minute=rate, created_by=UserFactory()
    )
    return token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def statuses(client, path, times, **extra):
    return [client.get(path, **extra).status_code for _ in range(times)]


# --- The reference frontend ------------------------------------------------------------


def test_sixty_page_views_a_minute_from_one_address_all_get_their_page(client, her2, api_path):
    """Each article page reads the API twice (the article and the recent ones): at the
    default 120 a minute, page 61 from one address used to be "Something went wrong"."""
    pages = statuses(client, "/articles/her2/", 61, REMOTE_ADDR=READER)

    assert pages == [200] * 61


def test_the_frontend_leaves_the_reader_s_own_allowance_whole(client, rate, her2, api_path):
    rate("2/min")
    pages = statuses(client, "/articles/her2/", 3, REMOTE_ADDR=READER)
    # The per-address limit stays for what the address asks the API itself.
    own = statuses(client, "/api/v1/articles/her2/", 3, REMOTE_ADDR=READER)

    assert pages == [200] * 3
    assert own == [200, 200, 429]


def test_only_the_frontend_s_own_request_objects_are_exempt(client, rate, her2):
    """The exemption is an attribute the frontend sets on the request it builds in this
    process; a remote client that claims to be it in a header is counted as any other."""
    rate("1/min")
    claims = {"HTTP_X_VETTED_IN_PROCESS": "1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}

    assert statuses(client, "/api/v1/articles/", 2, REMOTE_ADDR=READER, **claims) == [200, 429]


# --- Delivery keys -----------------------------------------------------------------------


def test_a_key_gets_its_own_rate_not_the_address_s(client, her2, api_path):
    """A server-side frontend used to share the 120 a minute of its one address."""
    token = key(rate=150)
    keyed = statuses(
        client, "/api/v1/articles/her2/", 151, REMOTE_ADDR=FRONTEND_SERVER, **bearer(token)
    )
    anonymous = client.get("/api/v1/articles/her2/", REMOTE_ADDR=FRONTEND_SERVER)

    assert keyed == [200] * 150 + [429]
    # Its requests were the key's: the address's own allowance is untouched.
    assert anonymous.status_code == 200


def test_a_key_is_counted_per_key_from_every_address(client, her2, api_path):
    token = key(rate=3)
    first, other = key(rate=3), key(rate=3)
    servers = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]

    spread = [
        client.get("/api/v1/topics/", REMOTE_ADDR=server, **bearer(token)).status_code
        for server in servers
    ]
    # Two keys from one address: each has its own allowance.
    assert statuses(client, "/api/v1/articles/", 3, **bearer(first)) == [200] * 3
    assert statuses(client, "/api/v1/articles/", 1, **bearer(other)) == [200]

    assert spread == [200, 200, 200, 429]


def test_a_throttled_key_is_told_when_to_come_back(client, her2, api_path):
    token = key(rate=1)
    client.get("/api/v1/articles/her2/", **bearer(token))

    throttled = client.get("/api/v1/articles/her2/", **bearer(token))

    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json"
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "Cache-Control" not in throttled or "public" not in throttled["Cache-Control"]


def test_a_key_s_allowance_comes_back_the_next_minute(client, rate, her2, monkeypatch):
    rate("1/hour")  # a key's rate is per minute whatever the anonymous period
    token = key(rate=1)
    now = 60 * 1000.0
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: now)
    client.get("/api/v1/articles/", **bearer(token))
    assert client.get("/api/v1/articles/", **bearer(token)).status_code == 429

    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: now + 60)

    assert client.get("/api/v1/articles/", **bearer(token)).status_code == 200


def test_responses_are_the_same_with_a_key_or_without(client, her2, shared_cache):
    anonymous = client.get("/api/v1/articles/her2/")
    keyed = client.get("/api/v1/articles/her2/", **bearer(key(rate=10)))

    assert keyed.status_code == 200
    assert keyed.content == anonymous.content
    assert keyed["ETag"] == anonymous["ETag"]
    assert keyed["Cache-Control"] == anonymous["Cache-Control"]


def test_a_cached_response_is_not_served_to_a_refused_key(client, her2, shared_cache):
    assert client.get("/api/v1/articles/her2/").status_code == 200  # now cached

    refused = client.get("/api/v1/articles/her2/", HTTP_AUTHORIZATION="Bearer vtd_unknown")

    assert refused.status_code == 401
    assert "not known" in refused.json()["detail"]


# --- Counted in Redis ----------------------------------------------------------------------


@pytest.fixture(params=["responses cached", "responses not cached"])
def counted_in_redis(request, shared_cache, settings):
    """Redis as the shared cache, on both of the API's paths: with the response cache the
    count goes with the lookup; without it, DRF's throttle check counts."""
    if request.param == "responses not cached":
        settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": False}
    return request.param


def test_in_one_process_a_key_s_limit_is_exact(client, her2, counted_in_redis, clock):
    """Counted in the process's memory or in Redis, every keyed request counts."""
    token = key(rate=100)

    codes = statuses(client, "/api/v1/articles/her2/", 101, **bearer(token))

    assert codes == [200] * 100 + [429]


def test_app_servers_share_a_key_s_allowance_through_redis(client, her2, shared_cache, clock):
    """Another thread has a cache connection, and so a memory, of its own: it stands for
    another app server. Between them the key gets its rate, plus at most what one of them
    counted in memory and has not sent yet (1/LOCAL_SHARE of the allowance)."""
    token = key(rate=100)
    served_here = statuses(client, "/api/v1/articles/her2/", 60, **bearer(token)).count(200)
    codes_there = []

    def other_process():
        codes_there.extend(statuses(client, "/api/v1/articles/her2/", 80, **bearer(token)))
        caches["default"].close()

    other = threading.Thread(target=other_process)
    other.start()
    other.join()

    served_there = codes_there.count(200)
    assert served_here == 60
    assert 100 - 60 <= served_there <= 100 - 60 + 100 // response_cache.LOCAL_SHARE
    assert codes_there[served_there:] == [429] * (80 - served_there)


def test_without_the_response_cache_app_servers_share_an_allowance_too(shared_cache, clock):
    """The throttle's count when responses are not cached (`response_cache.count`), from
    two threads with cache connections, and so memories, of their own: the allowance is
    shared within what one of them counted in memory and has not sent yet."""
    counter = response_cache.Counter(key="throttle_key_frontend:16", timeout=61, limit=100)
    allowed_here = [response_cache.count(counter) <= 100 for _ in range(60)].count(True)
    counts_there = []

    def other_process():
        counts_there.extend(response_cache.count(counter) for _ in range(80))
        caches["default"].close()

    other = threading.Thread(target=other_process)
    other.start()
    other.join()

    allowed_there = [count <= 100 for count in counts_there].count(True)
    assert allowed_here == 60
    assert 100 - 60 <= allowed_there <= 100 - 60 + 100 // response_cache.LOCAL_SHARE
    assert counts_there == sorted(counts_there)
