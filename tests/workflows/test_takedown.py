"""Taking a live article down, as editors meet it: at any moment, from every surface,
with a reason, while the draft and its review carry on untouched."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests.workflows.flow import act, approve_all, edit, fresh, through_editorial
from webhooks.events import UNPUBLISHED
from webhooks.models import WebhookEndpoint, WebhookEvent
from workflows.takedown import REASON_HELP, TakeDownRefused, article_take_down

REASON = "A dosing figure in the treatment section is wrong."
EDITED_SUMMARY = "An edit the medical reviewer is reading now."


@pytest.fixture
def in_review(article, people):
    """A live article whose next edit is at the medical step: the workflow locks it."""
    approve_all(article, people)
    edit(article, summary=EDITED_SUMMARY)
    through_editorial(article, people)
    page = fresh(article)
    assert page.live and page.current_workflow_task.name == "Medical review"
    return page


def unpublish_url(page):
    return reverse("wagtailadmin_pages:unpublish", args=[page.pk])


def bulk_unpublish_url(*pages):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    return url + "?" + "&".join(f"id={page.pk}" for page in pages)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def taken_down_entries(page):
    return PageLogEntry.objects.filter(page_id=page.pk, action="vetted.taken_down")


# Finding 1: the workflow's lock kept editors and administrators from unpublishing.


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_the_unpublish_view_takes_an_article_down_while_an_edit_is_in_review(
    as_user, in_review, people, who
):
    client = as_user(people[who])
    page = client.get(unpublish_url(in_review))
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()

    response = client.post(unpublish_url(in_review), {"reason": REASON})

    assert response.status_code == 302
    assert not fresh(in_review).live
    assert any("taken down" in message for message in messages_of(response))


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_the_edit_view_offers_unpublish_while_the_review_locks_the_article(
    as_user, in_review, people, who
):
    html = (
        as_user(people[who])
        .get(reverse("wagtailadmin_pages:edit", args=[in_review.pk]))
        .content.decode()
    )
    assert "Page locked" in html
    assert f'href="{unpublish_url(in_review)}"' in html


def test_the_listing_row_menu_offers_unpublish_while_in_review(as_user, in_review, people, index):
    html = (
        as_user(people["editor"])
        .get(reverse("wagtailadmin_explore", args=[index.pk]))
        .content.decode()
    )
    assert f'href="{unpublish_url(in_review)}' in html


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_bulk_unpublish_takes_down_an_article_in_review(as_user, in_review, people, who):
    client = as_user(people[who])
    confirm = client.get(bulk_unpublish_url(in_review)).content.decode()
    assert "have permission" not in confirm
    assert 'name="reason"' in confirm

    response = client.post(bulk_unpublish_url(in_review), {"reason": REASON})

    assert response.status_code == 302
    assert not fresh(in_review).live
    assert taken_down_entries(in_review).get().data["reason"] == REASON


# A reason, and nothing else touched.


def test_a_reason_is_required_and_nothing_changes_without_one(as_user, in_review, people):
    client = as_user(people["editor"])
    for blank in ({}, {"reason": "   "}):
        response = client.post(unpublish_url(in_review), blank)
        assert response.status_code == 200
        assert REASON_HELP in response.content.decode()
        response = client.post(bulk_unpublish_url(in_review), blank)
        assert REASON_HELP in response.content.decode()
    with pytest.raises(TakeDownRefused, match="Say why"):
        article_take_down(article=in_review, user=people["editor"], reason="")
    assert fresh(in_review).live
    assert not taken_down_entries(in_review).exists()


def test_the_draft_and_its_review_stay_as_they_were(as_user, in_review, people):
    draft = in_review.latest_revision_id
    workflow_state = in_review.current_workflow_state
    task_state = in_review.current_workflow_task_state

    as_user(people["editor"]).post(unpublish_url(in_review), {"reason": REASON})

    page = fresh(in_review)
    assert not page.live
    assert page.latest_revision_id == draft
    assert page.get_latest_revision_as_object().summary == EDITED_SUMMARY
    assert page.current_workflow_state == workflow_state
    assert page.current_workflow_task_state == task_state
    assert page.current_workflow_task_state.status == "in_progress"
    # The review carries on: the clinician's approval puts the edit live.
    act(page, people["clinician"], "approve", comment="The corrected text is accurate.")
    assert fresh(in_review).live
    assert fresh(in_review).summary == EDITED_SUMMARY


def test_the_history_says_who_took_it_down_and_why(as_user, in_review, people):
    client = as_user(people["editor"])
    client.post(unpublish_url(in_review), {"reason": REASON})

    entry = taken_down_entries(in_review).get()
    assert entry.user == people["editor"]
    assert entry.data["reason"] == REASON
    history = client.get(reverse("wagtailadmin_pages:history", args=[in_review.pk]))
    assert REASON in history.content.decode()


def test_the_writer_and_the_clinician_are_told(as_user, in_review, people, on_commit):
    mail.outbox.clear()
    with on_commit(execute=True):
        as_user(people["editor"]).post(unpublish_url(in_review), {"reason": REASON})

    told = {address: message for message in mail.outbox for address in message.to}
    assert set(told) == {people["writer"].email, people["clinician"].email}
    for message in told.values():
        assert in_review.title in message.subject
        assert REASON in message.body
        assert "Medical review step" in message.body


def test_a_takedown_during_review_is_sent_to_webhooks(as_user, in_review, people):
    WebhookEndpoint.objects.create(
        name="App", url="http://127.0.0.1:9/hooks", events=[UNPUBLISHED], active=True
    )
    as_user(people["editor"]).post(unpublish_url(in_review), {"reason": REASON})

    [event] = WebhookEvent.objects.filter(event_type=UNPUBLISHED)
    assert event.article_id == in_review.pk


def test_the_api_no_longer_serves_the_article(as_user, client, in_review, people):
    detail = f"/api/v1/articles/{in_review.slug}/"
    assert client.get(detail).status_code == 200

    as_user(people["editor"]).post(unpublish_url(in_review), {"reason": REASON})

    client.logout()
    assert client.get(detail).status_code == 404


# Writers and clinicians still cannot.


@pytest.mark.parametrize("who", ["writer", "clinician"])
def test_writers_and_clinicians_cannot_take_an_article_down(as_user, in_review, people, who):
    client = as_user(people[who])
    refused = client.get(unpublish_url(in_review))
    assert refused.status_code == 302
    assert any("Only editors can take an article down" in m for m in messages_of(refused))
    client.post(unpublish_url(in_review), {"reason": REASON})
    assert "ask an editor" in client.get(bulk_unpublish_url(in_review)).content.decode()
    client.post(bulk_unpublish_url(in_review), {"reason": REASON})
    with pytest.raises(TakeDownRefused, match="ask an editor"):
        article_take_down(article=in_review, user=people[who], reason=REASON)

    assert fresh(in_review).live
    assert not taken_down_entries(in_review).exists()
    edit_view = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk]))
    assert unpublish_url(in_review) not in edit_view.content.decode()
