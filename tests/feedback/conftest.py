# The API tests' client (every response checked against the OpenAPI schema) and their
# fresh cache (the report limits are counted there: each test starts with none spent).
from tests.api.conftest import _fresh_cache, api, openapi  # noqa: F401
