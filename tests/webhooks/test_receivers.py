"""Publishing, unpublishing and overdue reviews queue events, in the same transaction."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from content_models.models import ArticlePage
from tests.workflows.flow import act, approve_all, edit, fresh, through_editorial
from webhooks.events import PUBLISHED, REVIEW_OVERDUE, UNPUBLISHED
from webhooks.models import WebhookDelivery, WebhookEvent
from workflows.signals import live_content_changed


def events(event_type=None):
    found = WebhookEvent.objects.order_by("created_at")
    if event_type:
        found = found.filter(event_type=event_type)
    return list(found)


def body_of(event):
    return json.loads(event.body)


@pytest.fixture
def endpoint(make_endpoint):
    return make_endpoint()


def test_publishing_through_the_workflow_queues_a_published_event(article, people, endpoint):
    approve_all(article, people)
    page = fresh(article)
    [event] = events()
    body = body_of(event)
    assert body["id"] == str(event.pk)
    assert body["type"] == PUBLISHED
    assert body["data"]["change"] == "went_live"
    assert body["data"]["article"] == {
        "id": page.pk,
        "slug": "what-is-her2",
        "title": "What is HER2?",
        "url": "/articles/what-is-her2/",
        "live": True,
        "published_at": page.first_published_at.isoformat().replace("+00:00", "Z"),
        "updated_at": page.last_published_at.isoformat().replace("+00:00", "Z"),
        "reviewed_at": page.reviewed_at.isoformat().replace("+00:00", "Z"),
        "next_review_due": page.next_review_due.isoformat(),
    }
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


def test_the_event_is_written_before_commit_not_after(article, people, endpoint, on_commit):
    with on_commit(execute=False):
        approve_all(article, people)
        # Still inside the transaction, with nothing run on commit: the outbox row is there.
        assert len(events(PUBLISHED)) == 1


def test_a_rolled_back_publish_leaves_no_event(article, people, endpoint):
    def broken(**kwargs):
        raise RuntimeError("search index unavailable")

    live_content_changed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            approve_all(article, people)
    finally:
        live_content_changed.disconnect(broken)
    assert not fresh(article).live
    assert events() == []
    assert not WebhookDelivery.objects.exists()


def test_a_refused_publish_leaves_no_event(article, people, endpoint):
    approve_all(article, people)
    edit(article, summary="An edit the clinician has not seen.")
    through_editorial(article, people)
    with pytest.raises(PermissionDenied):
        fresh(article).get_latest_revision().publish()
    assert len(events()) == 1  # only the first publish


def test_approving_an_edit_of_a_live_article_is_an_update(article, people, endpoint):
    approve_all(article, people)
    edit(article, title="What is HER2, and why does it matter?")
    through_editorial(article, people)
    act(article, people["clinician"], "approve")
    update = body_of(events()[-1])
    assert update["type"] == PUBLISHED
    assert update["data"]["change"] == "updated"
    assert update["data"]["article"]["title"] == "What is HER2, and why does it matter?"


def test_unpublishing_queues_an_unpublished_event(article, people, endpoint):
    approve_all(article, people)
    fresh(article).unpublish()
    [event] = events(UNPUBLISHED)
    data = body_of(event)["data"]
    assert data["article"]["id"] == article.pk
    assert data["article"]["live"] is False


def test_an_overdue_review_queues_a_review_overdue_event(article, people, endpoint):
    approve_all(article, people)
    due = timezone.localdate() - datetime.timedelta(days=3)
    ArticlePage.objects.filter(pk=article.pk).update(next_review_due=due)
    call_command("flag_overdue_reviews")
    [event] = events(REVIEW_OVERDUE)
    assert body_of(event)["data"]["article"]["next_review_due"] == due.isoformat()
    call_command("flag_overdue_reviews")  # already in review: nothing new
    assert len(events(REVIEW_OVERDUE)) == 1


def test_only_active_endpoints_subscribed_to_the_event_get_a_delivery(
    article, people, make_endpoint
):
    publish_hook = make_endpoint(events=[PUBLISHED])
    unpublish_hook = make_endpoint(events=[UNPUBLISHED])
    make_endpoint(events=[PUBLISHED, UNPUBLISHED], active=False)
    approve_all(article, people)
    fresh(article).unpublish()
    got = {
        (d.event.event_type, d.endpoint_id)
        for d in WebhookDelivery.objects.select_related("event")
    }
    assert got == {(PUBLISHED, publish_hook.pk), (UNPUBLISHED, unpublish_hook.pk)}


def test_no_subscriber_no_event(article, people, make_endpoint):
    make_endpoint(events=[REVIEW_OVERDUE])
    approve_all(article, people)
    assert events() == []
