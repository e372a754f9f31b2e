"""Only content that passed the gate appears: in every endpoint, filter, search and count.

One live article sits beside a draft, an unpublished article, a private one
and a live article with an edit nobody approved. Each hidden piece carries a
marker word; no response may contain any of them.
"""

import pytest

from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    article_draft,
    published_article,
)
from tests.factories import body as article_body

from .helpers import private_article, unapproved_edit, unpublished_article

HIDDEN_MARKERS = ("zebra", "giraffe", "narwhal", "walrus")


@pytest.fixture
def world():
    live = published_article(
        title="HER2 basics",
        slug="her2-basics",
        author=AuthorFactory(name="Ada Live", slug="ada-live"),
        medical_reviewer=MedicalReviewerFactory(name="Rita Live", slug="rita-live"),
        topics=[TopicFactory(name="HER2", slug="her2")],
    )
    article_draft(
        title="Zebra draft",
        slug="zebra-draft",
        summary="A zebra summary.",
        author=AuthorFactory(name="Zebra Writer", slug="zebra-writer"),
        medical_reviewer=MedicalReviewerFactory(name="Zebra Doc", slug="zebra-doc"),
        topics=[TopicFactory(name="Zebra topic", slug="zebra-topic")],
    )
    unpublished_article(
        title="Giraffe withdrawn",
        slug="giraffe-withdrawn",
        body=article_body("Giraffe facts."),
        author=AuthorFactory(name="Giraffe Writer", slug="giraffe-writer"),
        medical_reviewer=MedicalReviewerFactory(name="Giraffe Doc", slug="giraffe-doc"),
        topics=[TopicFactory(name="Giraffe topic", slug="giraffe-topic")],
    )
    private_article(
        title="Walrus private",
        slug="walrus-private",
        author=AuthorFactory(name="Walrus Writer", slug="walrus-writer"),
        medical_reviewer=MedicalReviewerFactory(name="Walrus Doc", slug="walrus-doc"),
        topics=[TopicFactory(name="Walrus topic", slug="walrus-topic")],
    )
    edited = published_article(
        title="Okapi original",
        slug="okapi",
        body=article_body("Okapi facts as approved."),
        author=AuthorFactory(name="Olga Live", slug="olga-live"),
        medical_reviewer=MedicalReviewerFactory(name="Oscar Live", slug="oscar-live"),
        topics=[TopicFactory(name="Okapi topic", slug="okapi-topic")],
    )
    unapproved_edit(
        edited,
        title="Narwhal edit",
        summary="A narwhal summary.",
        body=article_body("Narwhal facts nobody approved."),
        key_takeaways=[{"type": "takeaway", "value": "Narwhal takeaway."}],
        author=AuthorFactory(name="Narwhal Writer", slug="narwhal-writer"),
        medical_reviewer=MedicalReviewerFactory(name="Narwhal Doc", slug="narwhal-doc"),
        topics=[TopicFactory(name="Narwhal topic", slug="narwhal-topic")],
    )
    return {"live": live, "edited": edited}


def assert_nothing_hidden(response):
    text = response.content.decode().lower()
    for marker in HIDDEN_MARKERS:
        assert marker not in text, (
            f"{marker!r} leaked into {response.wsgi_request.get_full_path()}"
        )


def results(response):
    return [item["slug"] for item in response.json()["results"]]


def test_list_shows_only_public_articles_with_their_approved_content(api, world):
    response = api.get("/api/v1/articles/")

    assert response.json()["count"] == 2
    assert sorted(results(response)) == ["her2-basics", "okapi"]
    assert_nothing_hidden(response)
    okapi = next(item for item in response.json()["results"] if item["slug"] == "okapi")
    assert okapi["title"] == "Okapi original"
    assert okapi["author"]["slug"] == "olga-live"
    assert okapi["medical_reviewer"]["slug"] == "oscar-live"
    assert okapi["topics"] == [{"name": "Okapi topic", "slug": "okapi-topic"}]


def test_detail_of_an_edited_article_shows_the_approved_revision(api, world):
    response = api.get("/api/v1/articles/okapi/")

    article = response.json()
    assert article["title"] == "Okapi original"
    assert "Okapi facts as approved." in article["body"][1]["value"]
    assert article["key_takeaways"] == ["HER2-positive cancers respond to targeted drugs."]
    assert_nothing_hidden(response)


@pytest.mark.parametrize("slug", ["zebra-draft", "giraffe-withdrawn", "walrus-private"])
def test_hidden_articles_are_not_found(api, world, slug):
    response = api.get(f"/api/v1/articles/{slug}/")

    assert response.status_code == 404
    assert response.json() == {"detail": f"Nothing published has the slug “{slug}”."}


@pytest.mark.parametrize("text", ["zebra", "giraffe", "narwhal", "walrus"])
def test_search_finds_nothing_hidden(api, world, text):
    response = api.get("/api/v1/articles/", {"search": text})

    assert response.json()["count"] == 0


def test_search_finds_the_approved_text_of_an_edited_article(api, world):
    assert results(api.get("/api/v1/articles/", {"search": "okapi"})) == ["okapi"]


@pytest.mark.parametrize(
    ("parameter", "slug"),
    [
        ("topic", "zebra-topic"),
        ("topic", "giraffe-topic"),
        ("topic", "walrus-topic"),
        ("topic", "narwhal-topic"),
        ("author", "zebra-writer"),
        ("author", "giraffe-writer"),
        ("author", "walrus-writer"),
        ("author", "narwhal-writer"),
        ("reviewer", "zebra-doc"),
        ("reviewer", "giraffe-doc"),
        ("reviewer", "walrus-doc"),
        ("reviewer", "narwhal-doc"),
    ],
)
def test_filters_on_slugs_known_only_from_hidden_content_list_nothing(api, world, parameter, slug):
    response = api.get("/api/v1/articles/", {parameter: slug})
    unknown = api.get("/api/v1/articles/", {parameter: "no-such-slug"})

    assert response.status_code == 200
    assert response.json()["results"] == []
    # Nothing tells a hidden slug from one that never existed.
    assert response.json() == unknown.json()


def test_people_and_topics_come_only_from_public_articles(api, world):
    authors = api.get("/api/v1/authors/")
    reviewers = api.get("/api/v1/reviewers/")
    topics = api.get("/api/v1/topics/")

    assert results(authors) == ["ada-live", "olga-live"]
    assert results(reviewers) == ["oscar-live", "rita-live"]
    assert [(t["slug"], t["article_count"]) for t in topics.json()["results"]] == [
        ("her2", 1),
        ("okapi-topic", 1),
    ]
    for response in (authors, reviewers, topics):
        assert_nothing_hidden(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/authors/zebra-writer/",
        "/api/v1/authors/narwhal-writer/",
        "/api/v1/reviewers/giraffe-doc/",
        "/api/v1/reviewers/walrus-doc/",
        "/api/v1/topics/narwhal-topic/",
    ],
)
def test_people_and_topics_of_hidden_content_are_not_found(api, world, path):
    assert api.get(path).status_code == 404


def test_topic_counts_count_public_articles_only(api, world):
    her2 = world["live"].topics.get()
    draft = article_draft(slug="another-draft", topics=[her2])
    unpublished_article(slug="another-withdrawn", topics=[her2])
    unapproved_edit(draft, title="Still a draft")

    response = api.get("/api/v1/topics/her2/")

    assert response.json()["article_count"] == 1


def test_every_endpoint_is_free_of_hidden_content(api, world):
    paths = [
        "/api/v1/articles/",
        "/api/v1/articles/?ordering=title",
        "/api/v1/articles/?search=facts",
        "/api/v1/articles/her2-basics/",
        "/api/v1/articles/okapi/",
        "/api/v1/authors/",
        "/api/v1/authors/olga-live/",
        "/api/v1/reviewers/",
        "/api/v1/reviewers/oscar-live/",
        "/api/v1/topics/",
        "/api/v1/topics/okapi-topic/",
    ]
    for path in paths:
        response = api.get(path)
        assert response.status_code == 200, path
        assert_nothing_hidden(response)
