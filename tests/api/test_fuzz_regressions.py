"""What fuzzing the API contract found (tests/fuzz), each with its exact input.

Each finding's test failed before its fix; the tests beside them pin the neighbouring
behaviour the fix had to keep. The contract is the served OpenAPI
document: a request it calls valid gets a documented answer, one it calls
invalid gets a 4xx JSON error naming what is wrong, and every response (the
`api` client checks each) matches the document, content type included.
"""

import re

import pytest

from tests.factories import MedicalReviewerFactory, TopicFactory, published_article

PREVIEW = "content_models.articlepage"


@pytest.fixture
def document(client):
    return client.get("/api/v1/schema/").json()


def query_schema(document, path, name):
    parameters = document["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["in"] == "query" and p["name"] == name)


def documented_as_valid(schema, value):
    """Whether `value` is a valid string for a parameter `schema` (pattern and lengths)."""
    return (
        len(value) >= schema.get("minLength", 0)
        and len(value) <= schema.get("maxLength", len(value))
        and re.search(schema.get("pattern", ""), value) is not None
    )


@pytest.fixture
def article():
    return published_article(
        slug="what-is-her2",
        medical_reviewer=MedicalReviewerFactory(slug="sam-do"),
        topics=[TopicFactory(slug="screening")],
    )


# Found: the schema called every string a valid `topic`, `author` and `reviewer`, and
# the API (rightly) refused "1/0" and control characters with a 400.
def test_slug_filters_document_what_a_slug_is(api, document, article):
    response = api.get(
        "/api/v1/articles/",
        {
            "topic": "\U0010d339\U000bec85Æ~\U000e2986P\x81\x84\x17",
            "author": "1/0",
            "page_size": "100",
            "search": "User-Agent",
            "page": "600",
            "ordering": "-reviewed_at",
            "reviewer": "sam-do",
        },
    )

    assert response.status_code == 400
    assert set(response.json()) == {"topic", "author"}
    for name in ("topic", "author", "reviewer"):
        schema = query_schema(document, "/api/v1/articles/", name)
        assert documented_as_valid(schema, "sam-do")
        assert not documented_as_valid(schema, "1/0")
        assert not documented_as_valid(schema, "P\x17")
        assert not documented_as_valid(schema, "a" * 151)


# Found with the above: a slug filter stripped spaces first, so " sam-do" was taken for
# "sam-do" though the documented pattern refuses it.
@pytest.mark.parametrize("raw", [" sam-do", "sam-do ", "sam-do\n"])
def test_a_slug_filter_takes_the_slug_as_sent(api, article, raw):
    response = api.get("/api/v1/articles/", {"reviewer": raw})

    assert response.status_code == 400
    assert set(response.json()) == {"reviewer"}


def test_search_documents_its_length_limit(api, document, article):
    schema = query_schema(document, "/api/v1/articles/", "search")

    assert schema["maxLength"] == 200
    assert api.get("/api/v1/articles/", {"search": "a" * 200}).status_code == 200
    assert set(api.get("/api/v1/articles/", {"search": "a" * 201}).json()) == {"search"}


# Found: the schema called any string of up to 200 characters a search, and the API
# (rightly) refused one with a NUL character with a 400.
def test_search_documents_that_it_takes_no_nul(api, document, article):
    response = api.get(
        "/api/v1/articles/",
        {"search": "\x00ÑI×ç", "reviewer": "preview", "topic": "url"},
        **{"If-None-Match": "*"},
    )

    assert response.status_code == 400
    # The well-formed slugs match nothing; only the NUL is wrong.
    assert set(response.json()) == {"search"}
    schema = query_schema(document, "/api/v1/articles/", "search")
    assert not documented_as_valid(schema, "\x00ÑI×ç")
    assert documented_as_valid(schema, "ÑI×ç")


def test_search_length_is_counted_as_sent(api, article):
    # Stripped first, " " + 200 letters passed although the schema says at most 200.
    assert api.get("/api/v1/articles/", {"search": " " + "a" * 200}).status_code == 400
    assert api.get("/api/v1/articles/", {"search": "   "}).json()["count"] == 1


# Found: `?topic=` (and `author`, `reviewer`, `ordering`) sent empty was ignored and gave
# every article, though neither a slug nor an ordering is ever empty.
@pytest.mark.parametrize("name", ["topic", "author", "reviewer", "ordering"])
def test_a_filter_sent_empty_is_a_400_saying_so(api, article, name):
    response = api.get(f"/api/v1/articles/?{name}=")

    assert response.status_code == 400
    assert response.json() == {name: ["Must not be empty: leave the parameter out instead."]}


def test_an_empty_search_narrows_nothing(api, article):
    response = api.get("/api/v1/articles/?search=")

    assert response.status_code == 200
    assert response.json()["count"] == 1


# Found: the schema called any string of 1 to 255 characters a token, and the API refused
# one with a NUL character with a 400.
@pytest.mark.parametrize("token", ["\x00", "id=1:1abcde:sig\x00", "not a token", "id=1/2"])
def test_what_cannot_be_a_preview_token_is_a_documented_400(api, document, token):
    response = api.get("/api/v1/preview/", {"content_type": PREVIEW, "token": token})

    assert response.status_code == 400
    assert set(response.json()) == {"token"}
    assert not documented_as_valid(query_schema(document, "/api/v1/preview/", "token"), token)


def test_a_well_formed_token_that_is_not_signed_is_still_refused_with_403(api, document):
    token = "id=1:1abcde:forged"
    response = api.get("/api/v1/preview/", {"content_type": PREVIEW, "token": token})

    assert documented_as_valid(query_schema(document, "/api/v1/preview/", "token"), token)
    assert response.status_code == 403


# Found: a slug with a newline in it (%0A) matched no URL, not even the API's own catch-all,
# and got Django's HTML 404 page instead of a JSON 404.
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/topics/%C3%B56%15Z%F4%8A%BB%AB0%C2%AF%C2%AC%C3%8C%C2%B0%C2%A4%C2%B5s.%C3%A9"
        "%F1%AA%B0%96%0A%12/",
        "/api/v1/reviewers/%F1%A7%A1%90%C2%94%C3%93%F0%A5%9C%8DC%03%C3%96%23gQ%C2%97%60%3E"
        "%2A%C3%AC%0A%EB%8A%92%03/",
        "/api/v1/articles/%0A/",
        "/api/v1/nothing%0Ahere/",
    ],
)
def test_a_path_with_a_newline_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# Found by probing beside the fuzzer: `page` and `page_size` went through int(), which also
# takes spaces, a sign, underscores and any Unicode digit, all of which the schema's
# integer is not.
@pytest.mark.parametrize("raw", ["1_0", "+1", " 1", "1 ", "\u0661", "\uff11", "1e1"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_page_numbers_are_ascii_digits_only(api, article, name, raw):
    response = api.get("/api/v1/articles/", {name: raw})

    assert response.status_code == 400
    assert set(response.json()) == {name}


def test_a_page_number_too_long_to_convert_is_a_400(api, article):
    response = api.get("/api/v1/articles/", {"page": "9" * 5000})

    assert response.status_code == 400
    assert set(response.json()) == {"page"}
