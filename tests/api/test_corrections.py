"""`GET /api/v1/corrections/`: every correction of a public article, newest first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.test_purging import cdn, varnish  # noqa: F401 (fixtures)
from tests.factories import approve_revision, body, published_article, published_correction
from workflows.models import Correction


def corrected(page, note):
    published_correction(page, note)
    return Correction.objects.filter(page_id=page.pk).first()


@pytest.fixture
def log(db):
    her2 = published_article(slug="her2", title="What is HER2?")
    dosing = published_article(slug="dosing", title="Dosing trastuzumab")
    corrected(her2, "An earlier version named the wrong receptor.")
    corrected(dosing, "An earlier version gave the wrong dose.")
    corrected(her2, "An earlier version gave the wrong test name.")
    return {"her2": her2, "dosing": dosing}


def test_the_log_lists_corrections_newest_first_with_their_articles(api, log):
    listed = api.get("/api/v1/corrections/").json()

    today = timezone.localdate().isoformat()
    assert listed["count"] == 3
    assert listed["results"] == [
        {
            "date": today,
            "note": "An earlier version gave the wrong test name.",
            "article": {"id": log["her2"].pk, "slug": "her2", "title": "What is HER2?"},
        },
        {
            "date": today,
            "note": "An earlier version gave the wrong dose.",
            "article": {"id": log["dosing"].pk, "slug": "dosing", "title": "Dosing trastuzumab"},
        },
        {
            "date": today,
            "note": "An earlier version named the wrong receptor.",
            "article": {"id": log["her2"].pk, "slug": "her2", "title": "What is HER2?"},
        },
    ]


def test_the_article_detail_has_its_own_corrections(api, log):
    detail = api.get("/api/v1/articles/her2/").json()

    assert [c["note"] for c in detail["corrections"]] == [
        "An earlier version gave the wrong test name.",
        "An earlier version named the wrong receptor.",
    ]
    assert [c["text"] for c in detail["json_ld"]["correction"]] == [
        "An earlier version gave the wrong test name.",
        "An earlier version named the wrong receptor.",
    ]


def test_the_log_is_paginated_like_articles(api, log):
    first = api.get("/api/v1/corrections/", {"page_size": 2}).json()
    second = api.get("/api/v1/corrections/", {"page_size": 2, "page": 2}).json()

    assert len(first["results"]) == 2
    assert first["next"] == "/api/v1/corrections/?page=2&page_size=2"
    assert second["previous"] == "/api/v1/corrections/?page_size=2"
    assert [c["note"] for c in second["results"]] == [
        "An earlier version named the wrong receptor."
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [({"page": "0"}, "whole number from 1"), ({"page_size": "500"}, "from 1 to 100")],
)
def test_bad_pages_are_refused_with_a_reason(api, log, query, message):
    response = api.get("/api/v1/corrections/", query)

    assert response.status_code == 400
    assert message in str(response.json())


def test_a_page_past_the_last_is_a_404_that_says_so(api, log):
    response = api.get("/api/v1/corrections/", {"page": "9"})

    assert response.status_code == 404
    assert "the last page is 1" in response.json()["detail"]


def test_an_article_taken_down_leaves_the_log(api, log):
    log["her2"].unpublish()

    listed = api.get("/api/v1/corrections/").json()
    assert [c["article"]["slug"] for c in listed["results"]] == ["dosing"]


def test_the_log_is_cached_publicly_and_named_for_purging(api, log):
    response = api.get("/api/v1/corrections/")

    assert response["Cache-Control"].startswith("public, max-age=")
    assert {"corrections", "articles"} <= set(response["xkey"].split())
    again = api.get("/api/v1/corrections/", **{"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_a_correction_going_live_purges_the_log(
    varnish,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page = published_article(slug="her2")
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        corrected(page, "An earlier version gave the wrong dose.")

    assert {"corrections", f"article-{page.pk}"} <= varnish.purged_tags()


def test_an_ordinary_edit_does_not_purge_the_log(
    varnish,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page = published_article(slug="her2")
    draft = page.get_latest_revision_as_object()
    draft.body, draft.change_kind = body("Reworded."), "update"
    revision = draft.save_revision()
    approve_revision(page, revision=revision)
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()

    assert "corrections" not in varnish.purged_tags()
    assert f"article-{page.pk}" in varnish.purged_tags()


def test_a_correction_is_dated_the_day_it_went_live_not_the_day_it_was_drafted(api, db):
    page = published_article(slug="her2")
    draft = page.get_latest_revision_as_object()
    draft.change_kind, draft.correction_note = "correction", "An earlier version erred."
    revision = draft.save_revision()
    drafted = timezone.now() - timedelta(days=3)
    type(revision).objects.filter(pk=revision.pk).update(created_at=drafted)
    approve_revision(page, revision=revision)
    revision.publish()

    (correction,) = api.get("/api/v1/corrections/").json()["results"]
    assert correction["date"] == timezone.localdate().isoformat()


def test_documents_written_before_corrections_existed_are_rewritten(api, client, db):
    # What `migrate` runs after migrating (`api.documents.documents_after_migrate`).
    from api.documents import documents_outdated_rewrite
    from api.models import ArticleDocument

    page = published_article(slug="her2")
    stored = ArticleDocument.objects.get(pk=page.pk)
    older = stored.detail.replace(',"corrections":[]', "")
    ArticleDocument.objects.filter(pk=page.pk).update(detail=older)
    assert "corrections" not in client.get("/api/v1/articles/her2/").json()

    assert documents_outdated_rewrite() == 1

    assert api.get("/api/v1/articles/her2/").json()["corrections"] == []
    assert documents_outdated_rewrite() == 0
