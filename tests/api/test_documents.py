"""Delivery documents: written with the change readers see, and served as written."""

import io
import json

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from wagtail.models import ModelLogEntry, PageLogEntry

from api import documents
from api.models import ArticleDocument, DocumentDependency
from api.shared_changes import SharedChangeRefused
from content_models.models import ArticlePage, Topic
from tests.factories import TopicFactory, approve_revision, published_article
from workflows.gate import PublishRefused

from .helpers import image, page_link, paragraph


def detail(api, slug):
    response = api.get(f"/api/v1/articles/{slug}/")
    assert response.status_code == 200
    return response.json()


def test_publishing_writes_the_document_served_as_the_detail(api):
    article = published_article(slug="her2", title="What is HER2?")

    stored = ArticleDocument.objects.get(article=article)

    assert json.loads(stored.detail) == detail(api, "her2")
    assert json.loads(stored.summary) == api.get("/api/v1/articles/").json()["results"][0]


def test_an_approved_edit_replaces_the_document(api):
    article = published_article(slug="her2", title="What is HER2?")
    draft = article.get_latest_revision_as_object()
    draft.title = "What HER2 means"
    revision = draft.save_revision()

    assert detail(api, "her2")["title"] == "What is HER2?"  # a draft changes nothing served

    approve_revision(article, revision=revision)
    revision.publish()

    assert detail(api, "her2")["title"] == "What HER2 means"


def test_unpublishing_removes_the_document(api):
    article = published_article(slug="her2")

    article.unpublish()

    assert not ArticleDocument.objects.filter(article=article).exists()
    assert api.get("/api/v1/articles/her2/").status_code == 404


def test_a_refused_publish_leaves_the_document_as_it_was(api):
    article = published_article(slug="her2", title="What is HER2?")
    before = ArticleDocument.objects.get(article=article).detail
    article.title = "Never reviewed"

    with pytest.raises(PublishRefused):
        article.save()

    assert ArticleDocument.objects.get(article=article).detail == before
    assert detail(api, "her2")["title"] == "What is HER2?"


def test_a_document_that_cannot_be_written_stops_the_publish(monkeypatch):
    article = published_article(slug="her2", title="What is HER2?")
    draft = article.get_latest_revision_as_object()
    draft.title = "What HER2 means"
    revision = draft.save_revision()
    approve_revision(article, revision=revision)

    def broken(data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents, "_json", broken)
    with pytest.raises(RuntimeError):
        revision.publish()

    # Nothing went live that the API would not serve.
    assert ArticlePage.objects.get(pk=article.pk).title == "What is HER2?"


def test_a_renamed_topic_leaves_live_documents_as_approved(api):
    topic = TopicFactory(name="Breast cancer", slug="breast-cancer")
    article = published_article(slug="her2", topics=[topic])

    topic.name = "Breast cancers"
    topic.save()

    approved = [{"name": "Breast cancer", "slug": "breast-cancer"}]
    assert detail(api, "her2")["topics"] == approved
    assert api.get("/api/v1/articles/").json()["results"][0]["topics"] == approved
    assert PageLogEntry.objects.filter(page=article, action="vetted.shown_changed").exists()


def test_a_topic_shown_on_live_articles_cannot_be_deleted(api):
    topic = TopicFactory(slug="shown")
    published_article(slug="her2", title="What is HER2?", topics=[topic])

    with pytest.raises(SharedChangeRefused, match="What is HER2"), transaction.atomic():
        topic.delete()

    assert Topic.objects.filter(pk=topic.pk).exists()
    assert [item["slug"] for item in detail(api, "her2")["topics"]] == ["shown"]


def test_a_topic_no_live_article_shows_can_be_deleted(api):
    topic = TopicFactory(slug="unused")
    published_article(slug="her2", topics=[TopicFactory(slug="kept")])

    topic.delete()

    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_an_edited_reviewer_bio_reaches_every_document(api):
    article = published_article(slug="her2")
    reviewer = article.medical_reviewer

    reviewer.bio = "Oncologist, twenty years in breast cancer care."
    reviewer.save()

    assert detail(api, "her2")["medical_reviewer"]["bio"] == reviewer.bio


def test_a_linked_article_taken_down_leaves_the_linking_documents(api):
    target = published_article(slug="target", title="Target")
    published_article(
        slug="source",
        body=[
            paragraph(f"<p>See {page_link(target, 'this')}.</p>"),
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
        ],
    )
    assert [block["type"] for block in detail(api, "source")["body"]] == [
        "paragraph",
        "read_more",
    ]

    target.unpublish()

    body = detail(api, "source")["body"]
    assert [block["type"] for block in body] == ["paragraph"]
    assert "href" not in body[0]["value"]


def test_a_retitled_linked_article_keeps_its_approved_title_where_it_is_linked(api):
    target = published_article(slug="target", title="Old title")
    source = published_article(
        slug="source", body=[{"type": "read_more", "value": {"article": target.pk, "text": ""}}]
    )
    draft = target.get_latest_revision_as_object()
    draft.title = "New title"
    revision = draft.save_revision()
    approve_revision(target, revision=revision)

    revision.publish()

    assert detail(api, "target")["title"] == "New title"
    assert detail(api, "source")["body"][0]["value"]["title"] == "Old title"
    assert PageLogEntry.objects.filter(page=source, action="vetted.shown_changed").exists()


def test_a_deleted_image_leaves_the_documents_showing_it(api):
    picture = image(title="Scan")
    published_article(
        slug="her2",
        body=[{"type": "image", "value": {"image": picture.pk, "alt_text": "A", "caption": ""}}],
    )
    assert detail(api, "her2")["body"][0]["type"] == "image"

    picture.delete()

    assert detail(api, "her2")["body"] == []


def test_missing_documents_are_built_for_live_articles(api):
    article = published_article(slug="her2", title="What is HER2?")
    ArticleDocument.objects.all().delete()
    assert api.get("/api/v1/articles/her2/").status_code == 404

    assert documents.documents_build_missing() == 1

    assert detail(api, "her2")["title"] == "What is HER2?"
    assert documents.documents_build_missing() == 0
    assert ArticleDocument.objects.get().article_id == article.pk


@pytest.fixture
def response_caching(settings):
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": True}
    caches["default"].clear()


def test_a_cached_response_is_served_without_querying(
    api, response_caching, django_assert_num_queries
):
    published_article(slug="her2")
    first = api.get("/api/v1/articles/her2/")

    with django_assert_num_queries(0):
        again = api.get("/api/v1/articles/her2/")

    assert again.content == first.content
    headers = ("Content-Type", "ETag", "Cache-Control", "Allow", "Vary", "xkey", "Cache-Tag")
    assert {name: again.get(name) for name in headers} == {
        name: first.get(name) for name in headers
    }


def test_a_cached_response_still_answers_if_none_match_with_304(api, response_caching):
    published_article(slug="her2")
    etag = api.get("/api/v1/articles/her2/")["ETag"]
    api.get("/api/v1/articles/")

    assert api.get("/api/v1/articles/her2/", If_None_Match=etag).status_code == 304
    assert api.get("/api/v1/articles/her2/", If_None_Match='"other"').status_code == 200


def test_cached_responses_count_against_the_rate_limit(client, response_caching, settings):
    published_article(slug="her2")
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    original, rates["anon"] = rates["anon"], "2/min"
    try:
        codes = [client.get("/api/v1/articles/her2/").status_code for _ in range(3)]
        over = client.get("/api/v1/articles/her2/")
    finally:
        rates["anon"] = original

    assert codes == [200, 200, 429]
    assert over.status_code == 429
    assert 0 < int(over["Retry-After"]) <= 60


def test_a_published_change_is_served_at_once_despite_the_cache(
    api, response_caching, django_capture_on_commit_callbacks
):
    article = published_article(slug="her2", title="What is HER2?")
    assert detail(api, "her2")["title"] == "What is HER2?"
    assert api.get("/api/v1/articles/").json()["results"][0]["title"] == "What is HER2?"
    draft = article.get_latest_revision_as_object()
    draft.title = "What HER2 means"
    revision = draft.save_revision()
    approve_revision(article, revision=revision)

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()

    assert detail(api, "her2")["title"] == "What HER2 means"
    assert api.get("/api/v1/articles/").json()["results"][0]["title"] == "What HER2 means"


def test_responses_cached_in_redis_are_dropped_when_a_change_commits(
    api, shared_cache, django_capture_on_commit_callbacks
):
    """App servers share the cache in Redis: a committed change moves every one of them on."""
    article = published_article(slug="her2", title="What is HER2?")
    assert detail(api, "her2")["title"] == "What is HER2?"
    ArticlePage.objects.filter(pk=article.pk).update(title="Changed behind the API's back")
    # Served from Redis, not from the row.
    assert detail(api, "her2")["title"] == "What is HER2?"

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert api.get("/api/v1/articles/her2/").status_code == 404


def test_rewriting_the_documents_follows_a_new_frontend_address(api, settings):
    target = published_article(slug="target", title="Target")
    published_article(
        slug="source", body=[{"type": "read_more", "value": {"article": target.pk, "text": ""}}]
    )
    settings.VETTED = {**settings.VETTED, "FRONTEND_BASE_URL": "https://health.example/read/"}

    call_command("rewrite_delivery_documents", stdout=io.StringIO())

    read_more = detail(api, "source")["body"][0]["value"]
    assert read_more["path"] == "https://health.example/read/target/"
    assert detail(api, "target")["json_ld"]["url"] == "https://health.example/read/target/"


def test_over_redis_cached_responses_are_counted_and_served_without_querying(
    client, shared_cache, settings, django_assert_num_queries
):
    published_article(slug="her2", title="What is HER2?")
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    original, rates["anon"] = rates["anon"], "3/min"
    try:
        first = client.get("/api/v1/articles/her2/")
        with django_assert_num_queries(0):
            second = client.get("/api/v1/articles/her2/")
            third = client.get("/api/v1/articles/her2/")
            over = client.get("/api/v1/articles/her2/")
    finally:
        rates["anon"] = original

    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 200]
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert over.status_code == 429
    assert 0 < int(over["Retry-After"]) <= 60


def test_a_cache_outage_after_commit_does_not_undo_or_fail_the_publish(
    response_caching, django_capture_on_commit_callbacks, monkeypatch
):
    article = published_article(slug="her2", title="What is HER2?")

    def outage(tags):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("api.response_cache.tags_invalidate", outage)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert not ArticlePage.objects.get(pk=article.pk).live


def read_more_to(target):
    return [{"type": "read_more", "value": {"article": target.pk, "text": ""}}]


def test_a_link_target_taken_down_by_a_concurrent_commit_is_caught_after_commit(
    api, django_capture_on_commit_callbacks
):
    target = published_article(slug="target", title="Target")
    with django_capture_on_commit_callbacks(execute=True):
        published_article(slug="source", body=read_more_to(target))
        # Another transaction takes the target down after the source's document was
        # rendered, before the source commits: its rewrite could not see the source.
        ArticlePage.objects.filter(pk=target.pk).update(live=False)

    assert detail(api, "source")["body"] == []


def test_documents_linking_here_are_rewritten_again_after_commit(
    api, django_capture_on_commit_callbacks
):
    target = published_article(slug="target", title="Target")
    source = published_article(slug="source", body=read_more_to(target))
    # The source's links are in a transaction the target's takedown cannot see yet...
    links = list(DocumentDependency.objects.filter(document_id=source.pk).values())
    DocumentDependency.objects.filter(document_id=source.pk).delete()

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=target.pk).unpublish()
        # ...which commits before the target's takedown does.
        DocumentDependency.objects.bulk_create([DocumentDependency(**row) for row in links])

    assert detail(api, "source")["body"] == []


def test_a_bio_or_photo_change_reaches_readers_at_once_and_is_logged(api):
    article = published_article(slug="her2")
    author = article.author
    author.bio = "Now writes about heart health too."
    author.photo = image(title="Portrait")
    author.save()

    served = detail(api, "her2")["author"]
    assert served["bio"] == "Now writes about heart health too."
    assert served["photo"] is not None
    entry = ModelLogEntry.objects.get(action="vetted.not_clinical_changed")
    assert entry.data == {"fields": ["bio", "photo"], "live_articles": 1}


def test_a_name_change_is_not_logged_as_outside_the_approval(api):
    article = published_article(slug="her2")
    author = article.author
    author.name = "A. N. Other"
    author.save()
    assert not ModelLogEntry.objects.filter(action="vetted.not_clinical_changed").exists()
