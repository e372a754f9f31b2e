"""The OpenAPI document, the interactive docs, the index and unknown paths."""

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from .helpers import DETAIL_FIELDS, SUMMARY_FIELDS

CONTRACT_PATHS = {
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/authors/",
    "/api/v1/authors/{slug}/",
    "/api/v1/reviewers/",
    "/api/v1/reviewers/{slug}/",
    "/api/v1/topics/",
    "/api/v1/corrections/",
    "/api/v1/preview/",
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_schema_is_openapi_3_of_the_whole_api_and_nothing_else(document):
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= CONTRACT_PATHS
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    # Reads only, but for a reader's report of a problem.
    writes = {path for path, operations in document["paths"].items() if set(operations) != {"get"}}
    assert writes == {"/api/v1/articles/{slug}/feedback/"}
    assert set(document["paths"]["/api/v1/articles/{slug}/feedback/"]) == {"post"}


def test_schema_documents_every_list_parameter(document):
    parameters = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/v1/articles/"]["get"]["parameters"]
    }

    assert {"page", "page_size", "topic", "author", "reviewer", "search", "ordering"} <= set(
        parameters
    )
    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert set(parameters["ordering"]["schema"]["enum"]) == {
        "-published_at",
        "published_at",
        "title",
        "-title",
        "-reviewed_at",
    }


def test_schema_describes_the_article_fields(document):
    schemas = document["components"]["schemas"]

    assert set(schemas["ArticleSummary"]["required"]) == SUMMARY_FIELDS
    assert set(schemas["ArticleDetail"]["required"]) >= DETAIL_FIELDS
    assert set(schemas["BodyBlock"]["discriminator"]["mapping"]) == {
        "heading",
        "paragraph",
        "bullet_list",
        "read_more",
        "image",
        "callout",
        "citation",
    }


def test_schema_as_yaml_on_request(client):
    response = client.get("/api/v1/schema/", {"format": "yaml"})

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Vetted delivery API"


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_docs_are_swagger_ui_served_from_this_site(client):
    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "jsdelivr" not in html
    assert "<script>" not in html  # every script is a file: no inline script for CSP to allow
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_index_lists_the_endpoints(api):
    index = api.get("/api/v1/").json()

    assert index["endpoints"] == {
        "articles": "http://testserver/api/v1/articles/",
        "authors": "http://testserver/api/v1/authors/",
        "reviewers": "http://testserver/api/v1/reviewers/",
        "topics": "http://testserver/api/v1/topics/",
        "corrections": "http://testserver/api/v1/corrections/",
        "preview": "http://testserver/api/v1/preview/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
    }


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", "/api/v1/articles/not%20a%20slug/", "/api/v1/articles/a/b/"],
)
def test_unknown_paths_are_json_404s(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_missing_trailing_slash_redirects(client):
    response = client.get("/api/v1/articles")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/"
