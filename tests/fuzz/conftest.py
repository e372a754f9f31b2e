import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from . import tally


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counts and image renditions live in the cache: no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    """Lift the anonymous rate so the fuzzer's hundreds of requests are not all 429s.

    DRF pitfall: throttle classes keep the rates dict they saw at import, so
    replacing ``settings.REST_FRAMEWORK`` would not reach them; the rate is changed
    inside that very dict and restored afterwards. 429 stays in the schema, and
    tests/security/test_api_throttling.py checks the real rate.
    """
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    monkeypatch.setitem(rates, "anon", "1000000/min")
    # Reader reports too (read at each request): tests/feedback checks their limits.
    monkeypatch.setattr(
        django_settings,
        "VETTED_FEEDBACK_RATES",
        {"address": "1000000/min", "article": "1000000/min"},
    )


@pytest.fixture(autouse=True)
def _response_cache_on(settings):
    """Fuzz the API as production runs it with Redis: whole responses kept in the cache.
    (One process here, so the local-memory cache is as shared as Redis would be.) Most
    generated requests are new, so the uncached path is fuzzed as much as the cached one."""
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": True}


def pytest_terminal_summary(terminalreporter):
    if tally.cases:
        terminalreporter.write_line(tally.summary())
