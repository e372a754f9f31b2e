"""The gate on every path Python code can take to make an article live."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import PageLogEntry, Revision, WorkflowState

from content_models.models import ArticlePage
from tests.factories import approve_revision, article_draft, body
from tests.served import served_detail
from tests.workflows.flow import act, approve_all, edit, fresh, submit, through_editorial
from workflows.gate import PublishRefused, WorkflowStartRefused


def refusals(page):
    return PageLogEntry.objects.filter(page=page, action="vetted.publish_refused")


def test_revision_publish_of_unapproved_content_is_refused(article):
    with pytest.raises(PermissionDenied, match="not been approved"):
        fresh(article).get_latest_revision().publish()
    assert not fresh(article).live
    assert refusals(article).count() == 1


def test_a_refused_publish_changes_nothing_and_logs_who_asked(article, people):
    # Live and approved, with an approved correction scheduled for tomorrow.
    approve_all(article, people)
    page = fresh(article)
    page.summary = "A correction, approved and scheduled."
    page.go_live_at = timezone.now() + timezone.timedelta(days=1)
    scheduled = page.save_revision()
    approve_revision(page, revision=scheduled)
    scheduled.publish()
    live = fresh(article)
    unapproved = edit(article, summary="An unreviewed claim.", go_live_at=None)

    with pytest.raises(PublishRefused, match="not been approved"):
        unapproved.publish(user=people["editor"])

    # Wagtail's publish clears other revisions' schedules before it saves: undone.
    scheduled.refresh_from_db()
    assert scheduled.approved_go_live_at is not None
    after = fresh(article)
    assert (after.live_revision_id, after.last_published_at, after.summary) == (
        live.live_revision_id,
        live.last_published_at,
        live.summary,
    )
    assert served_detail(article.slug)["summary"] == live.summary
    refusal = refusals(article).get()
    assert (refusal.user, refusal.revision) == (people["editor"], unapproved)
    assert "not been approved" in refusal.data["reason"]


def test_a_saved_instance_reads_its_topics_as_they_are_after_the_gate(article, people):
    from tests.factories import TopicFactory

    approve_all(article, people)
    page = fresh(article)
    page.save()  # unchanged live content: the gate writes the document from this instance
    added = TopicFactory(name="Genetics")
    ArticlePage.topics.through.objects.create(articlepage_id=page.pk, topic_id=added.pk)

    assert added in page.topics.all()


def test_refusal_is_a_permission_denied_subclass_naming_the_reason(article):
    with pytest.raises(PublishRefused) as refusal:
        fresh(article).get_latest_revision().publish()
    assert isinstance(refusal.value, PermissionDenied)
    assert "Submit it for review" in str(refusal.value)


def test_article_without_reviewer_is_refused_with_that_reason(people):
    from tests.factories import article_draft

    page = article_draft(author=people["author"], medical_reviewer=None)
    with pytest.raises(PublishRefused, match="no medical reviewer"):
        page.get_latest_revision().publish()


def test_page_save_of_changed_live_content_is_refused(article, people):
    page = approve_all(article, people)
    page.body = body("An unreviewed claim.")
    with pytest.raises(PermissionDenied):
        page.save()
    live = fresh(article)
    assert "unreviewed" not in str(live.body.raw_data)
    assert refusals(article).exists()


def test_page_save_setting_live_on_unapproved_row_is_refused(article):
    page = fresh(article)
    page.live = True
    with pytest.raises(PermissionDenied):
        page.save(update_fields=["live"])
    assert not fresh(article).live


def test_page_save_of_unchanged_approved_content_is_allowed(article, people):
    page = approve_all(article, people)
    page.save()  # for instance a move or a metadata touch
    assert fresh(article).live


def test_metadata_only_saves_are_not_blocked(article, people):
    page = approve_all(article, people)
    page.locked = True
    page.save(update_fields=["locked"])
    assert fresh(article).locked


def test_edit_after_approval_is_a_draft_and_live_stays_as_approved(article, people):
    page = approve_all(article, people)
    approved_summary = page.summary
    revision = edit(article, summary="Edited after approval.")
    page = fresh(article)
    assert page.live and page.summary == approved_summary
    assert page.has_unpublished_changes
    with pytest.raises(PermissionDenied):
        revision.publish()
    assert fresh(article).summary == approved_summary


def test_edit_after_approval_goes_live_only_after_the_whole_workflow(article, people):
    approve_all(article, people)
    edit(article, summary="Second version.")
    state = through_editorial(article, people)
    assert fresh(article).summary != "Second version."
    assert state.task.name == "Medical review"
    act(article, people["clinician"], "approve")
    assert fresh(article).summary == "Second version."


def test_editorial_approval_cannot_publish_what_the_clinician_never_saw(article, people):
    """A workflow whose last step is editorial (misconfigured) still cannot publish."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    approve_all(article, people)
    editorial_only = Workflow.objects.create(name="Editorial only")
    WorkflowTask.objects.create(
        workflow=editorial_only,
        task=GroupApprovalTask.objects.get(name="Editorial review"),
        sort_order=0,
    )
    WorkflowPage.objects.filter(page=fresh(article).get_parent()).update(workflow=editorial_only)
    edit(article, summary="Never seen by the clinician.")
    submit(article, people["writer"])
    with pytest.raises(PermissionDenied):
        act(article, people["editor"], "approve")
    page = fresh(article)
    assert page.summary != "Never seen by the clinician."
    assert page.current_workflow_task_state.status == "in_progress"


def test_direct_task_state_approval_by_anyone_cannot_publish(article, people):
    state = through_editorial(article, people)
    with pytest.raises(PermissionDenied):
        state.approve(user=people["superuser"])
    assert not fresh(article).live


def test_reviewer_swap_in_approved_content_is_refused(article, people):
    page = approve_all(article, people)
    from content_models.models import MedicalReviewer

    page.medical_reviewer = MedicalReviewer.objects.get(user=people["other_clinician"])
    with pytest.raises(PermissionDenied):
        page.save()


def test_approval_does_not_cover_another_article_with_the_same_text(article, people):
    approve_all(article, people)
    from tests.factories import article_draft

    twin = article_draft(author=people["author"], medical_reviewer=people["reviewer"])
    with pytest.raises(PermissionDenied):
        twin.get_latest_revision().publish()


def test_copy_with_keep_live_starts_unpublished(article, people):
    page = approve_all(article, people)
    copy = page.copy(
        keep_live=True, update_attrs={"slug": "her2-copy", "title": "Copy"}, user=people["editor"]
    )
    copy = ArticlePage.objects.get(pk=copy.pk)
    assert not copy.live
    assert PageLogEntry.objects.filter(page=copy, action="vetted.held_for_review").exists()
    with pytest.raises(PermissionDenied):
        copy.get_latest_revision().publish()


def test_alias_starts_unpublished_and_publishing_the_original_still_works(article, people):
    page = approve_all(article, people)
    alias = page.create_alias(update_slug="her2-alias")
    assert not ArticlePage.objects.get(pk=alias.pk).live
    edit(article, summary="Version two.")
    through_editorial(article, people)
    act(article, people["clinician"], "approve")
    assert fresh(article).summary == "Version two."
    alias = ArticlePage.objects.get(pk=alias.pk)
    assert not alias.live


def test_alias_cannot_be_made_live_by_save(article, people):
    page = approve_all(article, people)
    alias = ArticlePage.objects.get(pk=page.create_alias(update_slug="her2-alias").pk)
    alias.live = True
    alias.save()
    assert not ArticlePage.objects.get(pk=alias.pk).live


def test_new_article_starts_as_a_draft_by_default(index, people):
    page = ArticlePage(
        title="A draft",
        summary="Not yet.",
        body=body("Text."),
        author=people["author"],
        medical_reviewer=people["reviewer"],
    )
    index.add_child(instance=page)  # Wagtail's Page.live defaults to True; an article's not
    assert not fresh(page).live
    assert served_detail(page.slug) is None


def test_creating_an_article_as_live_is_refused_loudly(index, people):
    """An import script must not believe it published (finding 9)."""
    page = ArticlePage(
        title="Straight to live?",
        summary="No.",
        body=body("Text."),
        author=people["author"],
        medical_reviewer=people["reviewer"],
        live=True,
    )
    with pytest.raises(PublishRefused, match="cannot be created live"):
        index.add_child(instance=page)
    assert not ArticlePage.objects.filter(slug=page.slug).exists()
    assert served_detail(page.slug) is None


def test_a_copy_action_with_keep_live_run_directly_is_refused_loudly(article, people):
    page = approve_all(article, people)
    action = CopyPageAction(
        page, keep_live=True, update_attrs={"slug": "her2-copy", "title": "Copy"}
    )
    with pytest.raises(PublishRefused, match="cannot be created live"):
        action.execute(skip_permission_checks=True)
    assert not ArticlePage.objects.filter(slug="her2-copy").exists()


def test_the_workflow_does_not_start_on_an_article_without_a_reviewer(index, people):
    page = article_draft(author=people["author"], medical_reviewer=None)
    with pytest.raises(WorkflowStartRefused, match="no medical reviewer, so nobody could"):
        page.get_workflow().start(page, people["writer"])
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
    assert fresh(page).current_workflow_state is None


def test_revert_to_approved_content_republishes_as_approved(article, people):
    page = approve_all(article, people)
    approved = page.live_revision
    edit(article, summary="Second.")
    page = fresh(article)
    reverted = approved.as_object()
    new_revision = reverted.save_revision(previous_revision=approved)
    assert new_revision.pk != approved.pk  # a new id, the same content
    new_revision.publish(previous_revision=approved)
    assert fresh(article).live_revision_id == new_revision.pk


def test_revert_to_unapproved_content_is_refused(article, people):
    old_draft = fresh(article).get_latest_revision()
    edit(article, summary="Approved version.")
    approve_all(article, people)
    reverted = old_draft.as_object()
    reverted.summary = "Never approved."
    revision = reverted.save_revision(previous_revision=old_draft)
    with pytest.raises(PermissionDenied):
        revision.publish(previous_revision=old_draft)
    assert fresh(article).summary == "Approved version."


def test_scheduling_unapproved_content_is_refused(article):
    page = fresh(article)
    page.go_live_at = timezone.now() + timezone.timedelta(days=1)
    revision = page.save_revision()
    with pytest.raises(PermissionDenied):
        revision.publish()
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()


def test_publish_scheduled_publishes_approved_and_refuses_the_rest(article, people):
    from tests.factories import article_draft

    approved = article_draft(
        title="Approved",
        slug="approved",
        author=people["author"],
        medical_reviewer=people["reviewer"],
    )
    page = fresh(approved)
    page.go_live_at = timezone.now() + timezone.timedelta(minutes=5)
    scheduled = page.save_revision()
    approve_revision(page, revision=scheduled)
    scheduled.publish()  # scheduling approved content is allowed
    unapproved = fresh(article).get_latest_revision()
    # A revision scheduled behind the gate's back (for instance by a data fix).
    Revision.objects.filter(pk=unapproved.pk).update(approved_go_live_at=timezone.now())
    # Time passes: the scheduled moment arrives.
    scheduled.refresh_from_db()
    past = timezone.now() - timezone.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save()

    call_command("publish_scheduled")

    assert fresh(approved).live
    assert not fresh(article).live
    assert refusals(article).exists()
    assert not Revision.objects.filter(pk=unapproved.pk, approved_go_live_at__isnull=False)
    call_command("publish_scheduled")  # nothing left to retry, nothing crashes
