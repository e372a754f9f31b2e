"""Anonymous API clients are throttled per address: 429 with Retry-After, in JSON."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from rest_framework.throttling import AnonRateThrottle

from tests.factories import published_article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rate(monkeypatch):
    """Set the anonymous rate for one test.

    DRF pitfall: throttle classes keep the rates dict they saw at import
    (`THROTTLE_RATES`), so replacing ``settings.REST_FRAMEWORK`` would not reach
    them; the rate is changed inside that very dict and restored afterwards.
    """
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert AnonRateThrottle.THROTTLE_RATES is rates

    def set_rate(value):
        monkeypatch.setitem(rates, "anon", value)

    return set_rate


@pytest.fixture
def article():
    return published_article(slug="her2")


def test_a_client_over_the_rate_gets_429_json_with_retry_after(client, rate, article):
    rate("3/min")

    codes = [client.get("/api/v1/articles/her2/").status_code for _ in range(3)]
    throttled = client.get("/api/v1/articles/")

    assert codes == [200, 200, 200]
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json"
    assert "throttled" in throttled.json()["detail"]
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_each_address_has_its_own_allowance(client, rate, article):
    rate("2/min")
    for _ in range(2):
        client.get("/api/v1/articles/", REMOTE_ADDR="203.0.113.1")

    assert client.get("/api/v1/articles/", REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.get("/api/v1/articles/", REMOTE_ADDR="203.0.113.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_allowance(client, rate, article):
    rate("2/min")
    for n in range(2):
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_the_allowance_comes_back_after_the_period(client, rate, article, monkeypatch):
    rate("1/min")
    now = AnonRateThrottle.timer()
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: now)
    client.get("/api/v1/articles/")
    assert client.get("/api/v1/articles/").status_code == 429

    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: now + 61)

    assert client.get("/api/v1/articles/").status_code == 200


def test_the_default_rate_is_120_a_minute(client, article, clock):
    codes = [client.get("/api/v1/topics/").status_code for _ in range(121)]

    assert codes[:120] == [200] * 120
    assert codes[120] == 429


def _settings_in_subprocess(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VETTED_", "DJANGO_SETTINGS_MODULE"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'])",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_rate_is_set_from_the_environment():
    result = _settings_in_subprocess(VETTED_API_THROTTLE_RATE="500/hour")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500/hour"


def test_a_malformed_rate_stops_the_server_from_starting_and_says_why():
    result = _settings_in_subprocess(VETTED_API_THROTTLE_RATE="lots")

    assert result.returncode != 0
    assert "VETTED_API_THROTTLE_RATE must look like 120/min" in result.stderr


def test_app_servers_share_the_allowance_through_redis(client, rate, article):
    """With REDIS_URL set, every app server counts against the same allowance."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14").ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    shared = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"vetted-test-{uuid.uuid4().hex}",
        }
    }
    rate("2/min")
    with override_settings(CACHES=shared):
        codes = [client.get("/api/v1/articles/her2/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
