import json

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIResponse
from openapi_core.testing import MockRequest


@pytest.fixture(scope="session")
def openapi():
    """The OpenAPI document the API serves, ready to validate responses against."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return OpenAPI.from_dict(_plain(document))


def _plain(document):
    return json.loads(OpenApiJsonRenderer().render(document))


class SchemaCheckedClient:
    """The test client for documented endpoints: every response it receives must match
    the OpenAPI schema (status code, headers and body)."""

    def __init__(self, client, openapi):
        self.client = client
        self.openapi = openapi

    def get(self, path, data=None, **headers):
        response = self.client.get(path, data, headers=headers)
        self.check(response)
        return response

    def post(self, path, data, **extra):
        """POST `data` as JSON (or the raw bytes of `data` when it is bytes)."""
        body = data if isinstance(data, bytes) else json.dumps(data)
        response = self.client.post(path, body, content_type="application/json", **extra)
        self.check(response)
        return response

    def head(self, path, data=None, **headers):
        return self.client.head(path, data, headers=headers)

    def check(self, response):
        request = response.wsgi_request
        if response.status_code != 304:
            assert response["Content-Type"] == "application/json", response.content[:200]
        self.openapi.validate_response(
            MockRequest(
                "http://testserver",
                request.method,
                request.path,
                args=request.GET,
                headers=dict(request.headers),
            ),
            DjangoOpenAPIResponse(response),
        )


@pytest.fixture
def api(client, openapi):
    return SchemaCheckedClient(client, openapi)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Renditions are looked up in the cache first; tests must not see another test's.
    cache.clear()
    yield
    cache.clear()
