import pytest
from django.core.cache import cache

from tests.api.conftest import (  # noqa: F401
    SchemaCheckedClient,
    _plain,
    openapi,  # noqa: F401  (the session fixture)
)


@pytest.fixture
def api(client, openapi):  # noqa: F811
    return SchemaCheckedClient(client, openapi)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The report limits are counted in the cache: each test starts with none spent.
    cache.clear()
    yield
    cache.clear()
