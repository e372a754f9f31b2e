"""Who may approve: the rule refuses, whatever the role wiring says (issue findings 1, 2)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import AuthorFactory, MedicalReviewerFactory, article_draft, clinician
from tests.served import served_detail
from tests.workflows.flow import act, edit, fresh, submit
from workflows.models import MedicalApproval
from workflows.roles import CLINICIANS, WRITERS


def medical_step(page, *, submitter, editor):
    submit(page, submitter)
    act(page, editor, "approve")
    return fresh(page)


def test_a_superuser_in_clinicians_assigned_to_the_article_cannot_approve(as_user, index, people):
    admin = people["superuser"]
    admin.groups.add(Group.objects.get(name=CLINICIANS))
    # The administrator points a reviewer profile at their own account.
    own_profile = MedicalReviewerFactory(user=admin, name="Admin Himself")
    article = article_draft(author=people["author"], medical_reviewer=own_profile)
    page = medical_step(article, submitter=people["writer"], editor=people["editor"])

    assert page.current_workflow_task.get_actions(page, admin) == []
    with pytest.raises(PermissionDenied, match="Administrator accounts never approve"):
        act(article, admin, "approve")
    with pytest.raises(PermissionDenied, match="Administrator accounts never approve"):
        act(article, admin, "reject", comment="No.")

    # The review screen offers no decision, and a forged POST is refused.
    task_state = page.current_workflow_task_state
    client = as_user(admin)
    url = reverse("workflows:medical_review", args=[task_state.pk])
    screen = client.get(url).content.decode()
    assert "Administrator accounts never approve" in screen
    assert 'value="approve"' not in screen
    client.post(url, {"action": "approve", "comment": ""})

    assert not fresh(article).live
    assert not MedicalApproval.objects.filter(page_id=article.pk).exists()
    assert served_detail(article.slug) is None


def test_a_clinician_who_wrote_the_change_cannot_approve_it(index, people):
    # A clinician who is also a writer, writing under an author profile with no account.
    clinician_writer = people["clinician"]
    clinician_writer.groups.add(Group.objects.get(name=WRITERS))
    article = article_draft(
        author=AuthorFactory(name="Staff writer", user=None), medical_reviewer=people["reviewer"]
    )
    draft = fresh(article).get_latest_revision_as_object()
    draft.summary = "Written by the reviewer herself."
    draft.save_revision(user=clinician_writer)
    page = medical_step(article, submitter=people["writer"], editor=people["editor"])

    assert page.current_workflow_task.get_actions(page, clinician_writer) == []
    with pytest.raises(PermissionDenied, match="You wrote or submitted part of the change"):
        act(article, clinician_writer, "approve")
    assert not fresh(article).live
    assert served_detail(article.slug) is None


def test_a_clinician_who_submitted_the_change_cannot_approve_it(index, people):
    reviewer_user = people["clinician"]
    reviewer_user.groups.add(Group.objects.get(name=WRITERS))
    article = article_draft(author=people["author"], medical_reviewer=people["reviewer"])
    medical_step(article, submitter=reviewer_user, editor=people["editor"])

    with pytest.raises(PermissionDenied, match="You wrote or submitted part of the change"):
        act(article, reviewer_user, "approve")
    assert not fresh(article).live


def test_revisions_before_the_last_approval_do_not_count(index, people):
    """The reviewer who once edited an article may review later changes by others."""
    reviewer_user = people["clinician"]
    article = article_draft(author=people["author"], medical_reviewer=people["reviewer"])
    draft = fresh(article).get_latest_revision_as_object()
    draft.save_revision(user=reviewer_user)
    # Another clinician approves that version and it goes live.
    second = MedicalReviewerFactory(user=clinician(username="dr_second"))
    reassigned = fresh(article).get_latest_revision_as_object()
    reassigned.medical_reviewer = second
    reassigned.save_revision(user=people["writer"])
    medical_step(article, submitter=people["writer"], editor=people["editor"])
    act(article, second.user, "approve", comment="Accurate.")
    assert fresh(article).live

    # Back to the first reviewer, for an edit by the writer alone.
    later = fresh(article).get_latest_revision_as_object()
    later.medical_reviewer = people["reviewer"]
    later.summary = "A later edit by the writer."
    later.save_revision(user=people["writer"])
    medical_step(article, submitter=people["writer"], editor=people["editor"])
    act(article, reviewer_user, "approve", comment="Accurate.")
    assert served_detail(article.slug)["summary"] == "A later edit by the writer."


def test_an_editor_who_submitted_cannot_approve_through_a_profile_of_their_own(index, people):
    editor_user = people["editor"]
    editor_user.groups.add(Group.objects.get(name=CLINICIANS))
    profile = MedicalReviewerFactory(user=editor_user, name="Eddie")
    article = article_draft(author=people["author"], medical_reviewer=profile)
    edit(article, summary="Edited by someone else.")
    medical_step(article, submitter=editor_user, editor=editor_user)
    with pytest.raises(PermissionDenied, match="You wrote or submitted"):
        act(article, editor_user, "approve")
    assert not fresh(article).live
