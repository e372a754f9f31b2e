"""An approval is in good standing, or it covers nothing that newly goes live (finding 4)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from tests.factories import approve_revision, credentials_verified
from tests.served import served_detail
from tests.workflows.flow import act, approve_all, edit, fresh
from workflows.gate import PublishRefused
from workflows.models import MedicalApproval, MedicalRejection
from workflows.services import rereview_start

DANGER = "This dosing is dangerous, do not publish."


def rereview_rejected(article, people, *, live_unsafe=False):
    """The live text goes back to review and its clinician asks for changes."""
    rereview_start(article=fresh(article), user=people["editor"])
    act(article, people["editor"], "approve")
    page = fresh(article)
    state = page.current_workflow_task_state
    state.task.specific.on_action(
        state, people["clinician"], "reject", comment=DANGER, live_unsafe=live_unsafe
    )


def approve_again(article, people):
    """The writer drops the rejected round and sends the new text through the workflow."""
    fresh(article).current_workflow_state.cancel(user=people["writer"])
    return approve_all(article, people)


def revert_and_publish(revision, user):
    reverted = revision.as_object().save_revision(previous_revision=revision, user=user)
    reverted.publish(user=user, previous_revision=revision)


def test_text_the_reviewer_rejected_does_not_go_live_again(article, people):
    approve_all(article, people)
    rejected = fresh(article).live_revision
    rejected_summary = fresh(article).summary
    rereview_rejected(article, people)
    assert served_detail(article.slug)["summary"] == rejected_summary  # it stays live

    edit(article, summary="The corrected dose.")
    approve_again(article, people)
    # The clinician leaves and their verification lapses.
    people["clinician"].is_active = False
    people["clinician"].save()
    credentials_verified(people["reviewer"], timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(PublishRefused, match="asked for changes to this text"):
        revert_and_publish(rejected, people["editor"])
    detail = served_detail(article.slug)
    assert detail["summary"] == "The corrected dose."
    assert detail["medical_review"]["status"] == "current"


def test_a_rejection_supersedes_its_approval_even_for_an_eligible_reviewer(article, people):
    approve_all(article, people)
    rejected = fresh(article).live_revision
    rereview_rejected(article, people)
    edit(article, summary="The corrected dose.")
    approve_again(article, people)

    with pytest.raises(PublishRefused, match=DANGER):
        revert_and_publish(rejected, people["editor"])
    assert served_detail(article.slug)["summary"] == "The corrected dose."
    rejection = MedicalRejection.objects.get(page_id=article.pk)
    approval = MedicalApproval.objects.get(page_id=article.pk, revision_id=rejected.pk)
    assert rejection.superseded == [approval.pk]


@pytest.mark.parametrize("lapse", ["inactive", "not_clinician", "credentials", "superuser"])
def test_reverting_to_an_old_approval_needs_it_in_good_standing(article, people, lapse):
    approve_all(article, people)
    old = fresh(article).live_revision
    edit(article, summary="A newer text.")
    approve_all(article, people)
    clinician = people["clinician"]
    if lapse == "inactive":
        clinician.is_active = False
    elif lapse == "not_clinician":
        clinician.groups.clear()
    elif lapse == "credentials":
        credentials_verified(people["reviewer"], timezone.localdate() - datetime.timedelta(1))
    else:
        clinician.is_superuser = True
    clinician.save()

    with pytest.raises(PublishRefused):
        revert_and_publish(old, people["editor"])
    assert served_detail(article.slug)["summary"] == "A newer text."


def test_publishing_on_an_approval_due_for_re_review_is_refused(article, people, settings):
    approve_all(article, people)
    edit(article, summary="A text approved long ago.")
    old = fresh(article).get_latest_revision()
    settings.VETTED = {**settings.VETTED, "REVIEW_INTERVAL_DAYS": -1}
    approve_revision(fresh(article), revision=old)  # its re-review fell due yesterday

    with pytest.raises(PublishRefused, match="due for re-review"):
        old.publish(user=people["editor"])
    assert served_detail(article.slug)["summary"] != "A text approved long ago."


def test_the_live_text_keeps_serving_when_its_reviewer_lapses(article, people):
    """Good standing is asked when content goes live; it does not take content down."""
    approve_all(article, people)
    credentials_verified(people["reviewer"], timezone.localdate() - datetime.timedelta(1))
    page = fresh(article)
    page.save()  # a re-save of what is live
    assert served_detail(article.slug)["summary"] == page.summary


def test_a_scheduled_publish_needs_good_standing_when_it_goes_live(article, people):
    page = fresh(article)
    page.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    page.save_revision()
    approve_all(article, people)
    scheduled = Revision.objects.get(approved_go_live_at__isnull=False)
    # Before the moment arrives the clinician is deactivated.
    people["clinician"].is_active = False
    people["clinician"].save()
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save()

    call_command("publish_scheduled")

    assert not fresh(article).live
    assert served_detail(article.slug) is None
    refusal = PageLogEntry.objects.filter(page=article, action="vetted.publish_refused").first()
    assert "can no longer approve" in refusal.data["reason"]


def test_unsafe_live_text_comes_down_at_once(article, people, on_commit, as_user):
    approve_all(article, people)
    unsafe = fresh(article).live_revision
    rereview_start(article=fresh(article), user=people["editor"])
    act(article, people["editor"], "approve")
    state = fresh(article).current_workflow_task_state
    client = as_user(people["clinician"])
    url = reverse("workflows:medical_review", args=[state.pk])
    assert "The live text is unsafe" in client.get(url).content.decode()
    mail.outbox.clear()
    with on_commit(execute=True):
        client.post(url, {"action": "reject", "comment": DANGER, "live_unsafe": "on"})

    assert not fresh(article).live
    assert served_detail(article.slug) is None
    entry = PageLogEntry.objects.get(page=article, action="vetted.taken_down_unsafe")
    assert entry.user == people["clinician"]
    assert entry.data["reason"] == DANGER
    told = {address for message in mail.outbox for address in message.to}
    assert {people["editor"].email, people["writer"].email} <= told
    assert all(DANGER in message.body for message in mail.outbox)
    assert MedicalRejection.objects.get(page_id=article.pk).live_unsafe
    # It cannot be put back on its old approval.
    with pytest.raises(PublishRefused, match=DANGER):
        unsafe.publish(user=people["editor"])
    assert served_detail(article.slug) is None


def test_requesting_changes_without_unsafe_leaves_the_live_text(article, people):
    approve_all(article, people)
    live_summary = fresh(article).summary
    rereview_rejected(article, people, live_unsafe=False)
    assert served_detail(article.slug)["summary"] == live_summary
    assert not PageLogEntry.objects.filter(action="vetted.taken_down_unsafe").exists()


def test_a_rejection_needs_a_comment_in_python_too(article, people):
    from django.core.exceptions import PermissionDenied

    approve_all(article, people)
    rereview_start(article=fresh(article), user=people["editor"])
    act(article, people["editor"], "approve")
    with pytest.raises(PermissionDenied, match="Say what needs to change"):
        act(article, people["clinician"], "reject", comment="  ")
    assert not MedicalRejection.objects.exists()


def test_a_rereview_of_an_article_whose_draft_has_no_reviewer_starts_nothing(article, people):
    approve_all(article, people)
    edit(article, medical_reviewer=None)
    assert rereview_start(article=fresh(article), user=people["editor"]) is None
    assert fresh(article).current_workflow_state is None
    assert served_detail(article.slug) is not None


def test_a_rereview_while_changes_are_requested_starts_nothing(article, people):
    approve_all(article, people)
    rereview_rejected(article, people)
    assert fresh(article).current_workflow_state.status == "needs_changes"
    assert rereview_start(article=fresh(article), user=people["editor"]) is None
    assert fresh(article).current_workflow_state.status == "needs_changes"
