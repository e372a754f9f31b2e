import pytest
from django.core.cache import cache

from tests.workflows.conftest import article, index, people  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache():
    # API throttling counts requests in the cache: no test may inherit another's count.
    cache.clear()
    yield
    cache.clear()
