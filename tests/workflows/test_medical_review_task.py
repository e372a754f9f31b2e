import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from tests.factories import credentials_verified
from tests.served import reader_view, served_detail
from tests.workflows.flow import act, approve_all, edit, fresh, submit, through_editorial
from workflows.models import ImmutableRecordError, MedicalApproval, MedicalReviewTask


def test_workflow_runs_editorial_then_medical(article, people):
    state = through_editorial(article, people)
    assert isinstance(state.task.specific, MedicalReviewTask)
    assert state.task.name == "Medical review"
    assert not fresh(article).live


def test_only_the_assigned_clinician_gets_actions(article, people):
    through_editorial(article, people)
    page = fresh(article)
    task = page.current_workflow_task
    assert [name for name, *_ in task.get_actions(page, people["clinician"])] == [
        "reject",
        "approve",
    ]
    for who in ("other_clinician", "superuser", "editor", "writer"):
        assert task.get_actions(page, people[who]) == [], who


@pytest.mark.parametrize("who", ["other_clinician", "superuser", "editor", "writer"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_everyone_else_is_refused_even_when_trying_directly(article, people, who, action):
    through_editorial(article, people)
    with pytest.raises(PermissionDenied) as refusal:
        act(article, people[who], action, comment="Looks fine")
    assert "Only the assigned medical reviewer" in str(refusal.value)
    page = fresh(article)
    assert not page.live
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not MedicalApproval.objects.exists()
    assert PageLogEntry.objects.filter(page=page, action="vetted.review_refused").exists()


def test_approval_publishes_exactly_the_approved_revision(article, people):
    state = through_editorial(article, people)
    act(article, people["clinician"], "approve", comment="Clinically accurate.")
    page = fresh(article)
    approval = MedicalApproval.objects.get()
    assert page.live
    assert page.live_revision_id == state.revision_id == approval.revision_id
    assert reader_view(approval.document) == reader_view(served_detail(page.slug))
    assert approval.reviewer == people["clinician"]
    assert approval.comment == "Clinically accurate."
    assert approval.reviewer_credentials == people["reviewer"].credentials
    assert approval.credentials_verified_until == people["reviewer"].credentials_verified_until


def test_approval_stamps_review_metadata_with_a_year_to_next_review(article, people):
    page = approve_all(article, people)
    approval = MedicalApproval.objects.get()
    assert page.reviewed_at == approval.approved_at
    assert page.reviewed_by == people["reviewer"]
    assert page.next_review_due == timezone.localdate() + datetime.timedelta(days=365)


def test_review_interval_is_configurable(article, people, settings):
    settings.VETTED = {**settings.VETTED, "REVIEW_INTERVAL_DAYS": 90}
    page = approve_all(article, people)
    assert page.next_review_due == timezone.localdate() + datetime.timedelta(days=90)


def test_clinician_without_publish_permission_can_approve(article, people):
    # Wagtail's default finish action would roll the approval back here.
    assert not fresh(article).permissions_for_user(people["clinician"]).can_publish()
    assert approve_all(article, people).live


def test_approval_keeps_credentials_as_they_were(article, people):
    approve_all(article, people)
    people["reviewer"].credentials = "M.D., Ph.D."
    people["reviewer"].save()
    assert MedicalApproval.objects.get().reviewer_credentials == "M.D."


def test_approval_records_cannot_be_changed_or_deleted(article, people):
    approve_all(article, people)
    approval = MedicalApproval.objects.get()
    approval.comment = "rewritten"
    with pytest.raises(ImmutableRecordError):
        approval.save()
    with pytest.raises(ImmutableRecordError):
        approval.delete()
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.update(comment="rewritten")
    with pytest.raises(ImmutableRecordError):
        MedicalApproval.objects.all().delete()
    assert MedicalApproval.objects.get().comment == "Accurate."


def test_lapsed_clinician_cannot_approve(article, people):
    through_editorial(article, people)
    credentials_verified(people["reviewer"], timezone.localdate() - datetime.timedelta(1))
    page = fresh(article)
    assert page.current_workflow_task.get_actions(page, people["clinician"]) == []
    with pytest.raises(PermissionDenied, match="lapsed"):
        act(article, people["clinician"], "approve")
    assert not fresh(article).live


def test_reassigning_the_reviewer_moves_the_decision(article, people):
    edit(
        article,
        medical_reviewer=fresh(article).medical_reviewer.__class__.objects.get(
            user=people["other_clinician"]
        ),
    )
    through_editorial(article, people)
    with pytest.raises(PermissionDenied):
        act(article, people["clinician"], "approve")
    act(article, people["other_clinician"], "approve")
    assert fresh(article).live
    assert MedicalApproval.objects.get().reviewer == people["other_clinician"]


def test_edit_during_medical_review_cannot_be_approved_unseen(article, people):
    through_editorial(article, people)
    edit(article, summary="A change the clinician never saw.")
    with pytest.raises(PermissionDenied, match="edited after this review started"):
        act(article, people["clinician"], "approve")
    assert not fresh(article).live


def test_text_is_locked_during_medical_review(article, people):
    through_editorial(article, people)
    page = fresh(article)
    assert page.current_workflow_task.locked_for_user(page, people["writer"])


def test_rejection_returns_the_article_with_the_comment(article, people, on_commit):
    through_editorial(article, people)
    mail.outbox.clear()
    with on_commit(execute=True):
        act(article, people["clinician"], "reject", comment="The survival figure needs a source.")
    page = fresh(article)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [m.to for m in mail.outbox] == [[people["writer"].email]]
    assert "The survival figure needs a source." in mail.outbox[0].body


def test_clinician_is_emailed_when_the_medical_step_starts(article, people, on_commit):
    submit(article, people["writer"])
    mail.outbox.clear()
    with on_commit(execute=True):
        act(article, people["editor"], "approve")
    assert [m.to for m in mail.outbox] == [[people["clinician"].email]]
    assert article.title in mail.outbox[0].subject


def test_only_those_who_must_act_are_emailed(article, people, on_commit):
    mail.outbox.clear()
    with on_commit(execute=True):
        approve_all(article, people)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # Editors are asked for the editorial step, the clinician for the medical
    # step, the writer hears the outcome; the superuser and the other
    # clinician hear nothing.
    assert people["superuser"].email not in recipients
    other = people["other_clinician"].email
    assert other not in recipients
    assert recipients.count(people["clinician"].email) == 1
    assert recipients.count(people["writer"].email) == 1
    assert people["editor"].email in recipients


def test_resubmitted_text_needs_both_steps_before_it_goes_live(article, people):
    through_editorial(article, people)
    act(article, people["clinician"], "reject", comment="Add a source.")
    revision = edit(article, summary="Now with a source.")
    fresh(article).current_workflow_state.resume(user=people["writer"])
    state = fresh(article).current_workflow_task_state
    assert state.task.name == "Medical review"
    assert state.revision_id == revision.pk
    act(article, people["clinician"], "approve")
    # Every step must approve the latest text: editorial review comes round again.
    assert not fresh(article).live
    assert fresh(article).current_workflow_task_state.task.name == "Editorial review"
    act(article, people["editor"], "approve")
    page = fresh(article)
    assert page.live and page.summary == "Now with a source."
    assert page.live_revision_id == revision.pk
