"""Red team: keeping an article in front of readers after an editor took it down.

Each test passes when the attack fails. The article is read as readers read it
(the API's detail and list, the reference frontend's page, a browser
revalidating its copy), with the response cache in Redis on, as deployed; the
takedown is the admin's own unpublish form.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from content_models.models import ArticlePage
from tests.served import served_as_approved
from tests.workflows.flow import act, approve_all, edit, fresh, through_editorial
from workflows.takedown import article_take_down

REASON = "The dosing table gives the adult dose for children."


@pytest.fixture
def in_review(article, people, django_capture_on_commit_callbacks):
    """A live article whose correction waits at the medical step (the workflow locks it)."""
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(article, people)
        edit(article, summary="The corrected dosing, awaiting the clinician.")
        through_editorial(article, people)
    return fresh(article)


def reader():
    return Client(HTTP_HOST="127.0.0.1")


def readers_see(slug):
    """What a reader gets at the three addresses that show the article."""
    client = reader()
    detail = client.get(f"/api/v1/articles/{slug}/")
    listed = [item["slug"] for item in client.get("/api/v1/articles/").json()["results"]]
    page = client.get(f"/articles/{slug}/")
    return detail.status_code, slug in listed, page.status_code


def take_down(client, article, on_commit):
    with on_commit(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:unpublish", args=[article.pk]), {"reason": REASON}
        )
    assert response.status_code == 302


def test_every_cached_copy_goes_with_the_takedown(
    as_user, in_review, people, shared_cache, django_capture_on_commit_callbacks
):
    assert readers_see(in_review.slug) == (200, True, 200)
    assert readers_see(in_review.slug) == (200, True, 200)  # now answered from the caches

    take_down(as_user(people["editor"]), in_review, django_capture_on_commit_callbacks)

    assert readers_see(in_review.slug) == (404, False, 404)


def test_a_browser_revalidating_its_copy_is_not_told_it_is_current(
    as_user, in_review, people, shared_cache, django_capture_on_commit_callbacks
):
    path = f"/api/v1/articles/{in_review.slug}/"
    before = reader().get(path)
    assert before.status_code == 200
    assert "Last-Modified" not in before  # nothing a date-based revalidation could match

    take_down(as_user(people["editor"]), in_review, django_capture_on_commit_callbacks)

    revalidated = reader().get(
        path,
        headers={
            "If-None-Match": before["ETag"],
            "If-Modified-Since": "Wed, 01 Jan 2031 00:00:00 GMT",
        },
    )
    assert revalidated.status_code == 404


def test_a_takedown_that_rolls_back_leaves_readers_the_approved_text(
    in_review, people, shared_cache, django_capture_on_commit_callbacks
):
    assert readers_see(in_review.slug) == (200, True, 200)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article_take_down(article=in_review, user=people["editor"], reason=REASON)
        raise RuntimeError("the request failed after the takedown")

    assert fresh(in_review).live
    # Served exactly as the clinician approved it, not a half-removed copy.
    assert served_as_approved(fresh(in_review), reader()) is not None
    assert readers_see(in_review.slug) == (200, True, 200)


def test_the_approval_of_the_edit_in_review_is_what_readers_get_next(
    as_user, in_review, people, shared_cache, django_capture_on_commit_callbacks
):
    take_down(as_user(people["editor"]), in_review, django_capture_on_commit_callbacks)
    assert readers_see(in_review.slug) == (404, False, 404)

    with django_capture_on_commit_callbacks(execute=True):
        act(fresh(in_review), people["clinician"], "approve", comment="The dosing is right now.")

    served = served_as_approved(fresh(in_review), reader())
    assert served["summary"] == "The corrected dosing, awaiting the clinician."


@pytest.mark.xfail(
    strict=True,
    reason="BROKEN (ORM only): queryset.update(live=False) sends no signal, so the "
    "response cache in Redis keeps serving the article until it expires (10 x "
    "VETTED_API_CACHE_SECONDS) or rewrite_delivery_documents removes the document; "
    "take articles down through the admin or article_take_down.",
)
def test_a_takedown_written_around_the_gate_reaches_readers(
    in_review, shared_cache, django_capture_on_commit_callbacks
):
    assert readers_see(in_review.slug) == (200, True, 200)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.filter(pk=in_review.pk).update(live=False)

    assert readers_see(in_review.slug) == (404, False, 404)
