"""An editor takes a live article down in Chromium while an edit of it is in medical
review: from the edit view's action menu, beside "Page locked", giving a reason."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.roles import roles_ensure
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    article_draft,
    article_index,
    clinician,
    editor,
    writer,
)
from tests.workflows.flow import approve_all, edit, fresh, through_editorial
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure

REASON = "The dosing table gives the adult dose for children."
EDITED_SUMMARY = "An edit the medical reviewer is reading now."


@pytest.fixture
def people():
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    wendy = writer(username="wendy")
    reviewer = MedicalReviewerFactory(user=clinician(username="dr_rao"))
    return {
        "writer": wendy,
        "author": AuthorFactory(user=wendy),
        "editor": editor(username="eddie"),
        "reviewer": reviewer,
        "clinician": reviewer.user,
    }


@pytest.fixture
def article(people):
    return article_draft(author=people["author"], medical_reviewer=people["reviewer"])


def test_an_editor_takes_an_article_down_from_the_edit_view_while_it_is_in_review(
    page, admin_login, article, people
):
    approve_all(article, people)
    edit(article, summary=EDITED_SUMMARY)
    through_editorial(article, people)
    draft = fresh(article).latest_revision_id

    admin_login(people["editor"].username)
    page.goto(f"/admin/pages/{article.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    expect(footer.get_by_role("button", name="Page locked")).to_be_visible()
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("link", name="Unpublish").click()

    page.wait_for_url(re.compile(rf".*/admin/pages/{article.pk}/unpublish/"))
    expect(page.get_by_text("The edit in review stays where it is")).to_be_visible()
    page.get_by_label("Why is it coming down?").fill(REASON)
    page.get_by_role("button", name="Yes, unpublish it").click()

    expect(page.locator(".messages")).to_contain_text("taken down: readers no longer get it")
    taken_down = fresh(article)
    assert not taken_down.live
    assert taken_down.latest_revision_id == draft
    assert taken_down.current_workflow_task.name == "Medical review"
    assert page.request.get(f"/api/v1/articles/{article.slug}/").status == 404
