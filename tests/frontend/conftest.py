import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Image renditions are looked up in the cache first; tests must not see another test's.
    cache.clear()
    yield
    cache.clear()
