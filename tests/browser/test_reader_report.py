"""A reader reports a problem with an article in Chromium; its clinician reads the report in
the admin and sends the article to re-review, the live text staying as approved."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.roles import roles_ensure
from feedback.models import ReaderReport
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    article_index,
    clinician,
    editor,
    published_article,
)
from tests.workflows.flow import fresh
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure

PROBLEM = "The second paragraph says HER2 is a gene test; it is a protein test."
NOTE = "The reader is right about the wording: sending it back for a fix."


@pytest.fixture
def article():
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    return published_article(
        slug="what-is-her2",
        author=AuthorFactory(),
        medical_reviewer=MedicalReviewerFactory(
            name="Asha Rao", user=clinician(username="dr_rao", email="rao@example.org")
        ),
    )


def test_a_reader_reports_and_the_clinician_sends_it_to_rereview(page, admin_login, article):
    page.goto("/articles/what-is-her2/")
    page.get_by_role("link", name="Report a problem with this page").click()
    page.get_by_label("What is wrong with this page?").fill(PROBLEM)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    report = ReaderReport.objects.get()
    assert report.message == PROBLEM

    admin_login("dr_rao")
    page.goto("/admin/reports/reader-reports/")
    page.get_by_role("link", name=PROBLEM[:40]).click()
    expect(page.get_by_text(PROBLEM)).to_be_visible()
    page.get_by_label("Sent to re-review").check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Close report").click()
    expect(page.get_by_text(f"Report {report.pk} closed.")).to_be_visible()

    report.refresh_from_db()
    assert (report.outcome, report.outcome_note) == ("rereview", NOTE)
    live = fresh(article)
    assert live.live and live.current_workflow_state is not None
    # The editors read the outcome in the article's history.
    editor(username="eddie")
    admin_login("eddie")
    page.goto(f"/admin/pages/{article.pk}/history/")
    expect(page.get_by_text(NOTE)).to_be_visible()
