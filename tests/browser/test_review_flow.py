"""The whole review flow in Chromium, as the people involved click through it.

A writer drafts an article in the admin and submits it; an editor approves the
editorial step; only the assigned clinician can approve the medical step, from
the dashboard panel and the review screen; then the article is in the API.
Sign-ins go through the lockout check, and every page runs under the admin's
Content-Security-Policy: a violation anywhere fails the test.
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.roles import roles_ensure
from content_models.models import ArticlePage
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    UserFactory,
    article_index,
    clinician,
    editor,
    writer,
)
from workflows.models import MedicalApproval
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure

TITLE = "Living with HER2-positive breast cancer"
SLUG = "living-with-her2-positive-breast-cancer"
SUMMARY = "What a HER2-positive result means and which treatments target it."
TAKEAWAYS = [
    "HER2 is a protein that can make breast cancer cells grow.",
    "Targeted drugs work against HER2-positive cancers.",
]
HEADING = "What HER2 does"
PARAGRAPHS = [
    "HER2 is a receptor on the surface of breast cells.",
    "Too many HER2 receptors can make a cancer grow faster.",
]
COMMENT = "Accurate, and the treatment section matches current guidance."

# Where each surface offers "approve": the dashboard's and the editor's workflow
# actions (Wagtail), and the clinician's review screen (workflows).
DASHBOARD_APPROVE = "[data-workflow-action-url*='/approve/']"
EDIT_PAGE_APPROVE = "[data-workflow-action-name='approve']"
# How long to wait for what a click sets off on the server (a save, a workflow step).
SERVER_WORK = 15_000


@pytest.fixture
def cast(settings):
    settings.AXES_ENABLED = True
    # Wagtail 8 autosaves the form every 500 ms. Under load an autosave racing the
    # "Submit" click left the create form with a validation error on the Promote tab
    # (where the slug is); autosave is not what this test is about.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    index = article_index()
    roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=Group.objects.get(name=EDITORS))
    wendy = writer(username="wendy")
    AuthorFactory(user=wendy, name="Wendy Walsh")
    MedicalReviewerFactory(user=clinician(username="dr_rao"), name="Asha Rao")
    MedicalReviewerFactory(user=clinician(username="dr_other"), name="Omar Okafor")
    editor(username="eddie")
    UserFactory(username="root", is_superuser=True, is_staff=True)
    return index


@pytest.fixture
def csp_violations(page):
    """What Chromium refused under the Content-Security-Policy, on any page."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


def add_block(page, stream, block_type=None):
    """Append a block to the StreamField `stream`; return the id of its value input."""
    count = page.locator(f"input[name='{stream}-count']")
    before = int(count.input_value())
    page.locator(f"#{stream}-root button.c-sf-add-button").last.click()
    if block_type:
        page.get_by_role("option", name=block_type, exact=True).click()
    # The stream inserts the block after the click returns: wait for it, under any load.
    expect(count).to_have_value(str(before + 1))
    input_id = f"{stream}-{before}-value"
    expect(page.locator(f"#{input_id}")).to_be_attached()
    return input_id


def type_rich_text(page, input_id, text, bold=""):
    editor_area = page.locator(f"#{input_id} + .Draftail-Editor__wrapper [role='textbox']")
    editor_area.click()
    page.keyboard.type(text)
    if bold:
        page.keyboard.type(" ")
        page.keyboard.press("ControlOrMeta+b")
        page.keyboard.type(bold)
        page.keyboard.press("ControlOrMeta+b")
    expect(editor_area).to_contain_text(text)


def choose_snippet(page, chooser_button, name):
    page.get_by_role("button", name=chooser_button).click()
    page.locator(".modal [data-chooser-modal-choice]", has_text=name).click()
    expect(page.locator(".modal")).to_be_hidden()


def api_article(page):
    return page.request.get(f"/api/v1/articles/{SLUG}/")


def test_an_article_goes_live_only_through_its_assigned_clinician(
    page, admin_login, cast, csp_violations, live_server, settings
):
    # The review screen frames the reference frontend, served here by the live server.
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"{live_server.url}/preview/"},
    }
    # The writer drafts the article under the article index and submits it.
    admin_login("wendy")
    page.goto(f"/admin/pages/{cast.pk}/")
    page.get_by_role("link", name="Add child page").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", SUMMARY)
    for takeaway in TAKEAWAYS:
        page.fill(f"#{add_block(page, 'key_takeaways')}", takeaway)
    page.fill(f"#{add_block(page, 'body', 'Heading')}", HEADING)
    type_rich_text(page, add_block(page, "body", "Paragraph"), PARAGRAPHS[0])
    type_rich_text(page, add_block(page, "body", "Paragraph"), PARAGRAPHS[1], bold="Ask")
    choose_snippet(page, "Choose author", "Wendy Walsh")
    # The reviewer is a list with each one's specialty, organisation and open reviews.
    reviewer = page.locator("#id_medical_reviewer option", has_text="Asha Rao")
    expect(reviewer).to_contain_text("0 open reviews")
    page.select_option("#id_medical_reviewer", value=reviewer.get_attribute("value"))
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Medical review").click()
    submitted = page.get_by_text(f"'{TITLE}' created and submitted for moderation")
    expect(submitted).to_be_visible(timeout=SERVER_WORK)
    article = ArticlePage.objects.get(slug=SLUG)
    assert not article.live
    assert api_article(page).status == 404

    # The editor sees the approve action on the dashboard and the edit page; approves.
    admin_login("eddie")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator(EDIT_PAGE_APPROVE).first).to_be_attached()
    page.goto("/admin/")
    row = page.locator("#awaiting-review-content tr", has_text=TITLE)
    expect(row.locator(DASHBOARD_APPROVE).first).to_be_attached()
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(row).to_have_count(0, timeout=SERVER_WORK)
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert state.task.name == "Medical review"
    assert api_article(page).status == 404
    review_url = f"/admin/medical-review/{state.pk}/"

    # Another clinician: nothing waiting, no review screen, no approve action.
    admin_login("dr_other")
    panel = page.locator("#awaiting-medical-review-section")
    expect(panel).to_contain_text("Nothing is waiting for your medical review.")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    for url in (review_url, f"/admin/pages/{article.pk}/edit/"):
        page.goto(url)
        expect(page.get_by_text("Sorry, you do not have permission")).to_be_visible()
        expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
        expect(page.locator(f"{DASHBOARD_APPROVE}, {EDIT_PAGE_APPROVE}")).to_have_count(0)

    # A superuser: no approve action on the dashboard, the review screen or the edit page.
    admin_login("root")
    expect(page.locator(DASHBOARD_APPROVE)).to_have_count(0)
    page.goto(review_url)
    expect(page.get_by_text("Only the assigned medical reviewer, Asha Rao")).to_be_visible()
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator(f"{EDIT_PAGE_APPROVE}, {DASHBOARD_APPROVE}")).to_have_count(0)

    # The assigned clinician finds it on the dashboard, reads the changes, approves.
    admin_login("dr_rao")
    panel = page.locator("#awaiting-medical-review-section")
    expect(panel.get_by_role("row", name=re.compile(TITLE))).to_contain_text(
        "Ready for your review"
    )
    panel.get_by_role("link", name=TITLE).click()
    changes = page.locator("section[aria-labelledby='changes-heading']")
    expect(changes.get_by_role("heading")).to_have_text(
        "What changed since the last approved version"
    )
    expect(changes).to_contain_text(f"Title (added): {TITLE}")
    expect(changes).to_contain_text(f"Paragraph (added): {PARAGRAPHS[1]} **Ask**")
    # Beside the changes, the reference frontend shows the article as readers will get it.
    reader = page.frame_locator("iframe[title='The article as readers will see it']")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Approve", exact=True).click()
    approved = page.get_by_text(f"Approved: '{TITLE}' is live as you approved it.")
    expect(approved).to_be_visible(timeout=SERVER_WORK)
    expect(page.locator("#awaiting-medical-review-section")).to_contain_text(
        "Nothing is waiting for your medical review."
    )

    # The article is in the API, with the text the clinician approved.
    response = api_article(page)
    assert response.status == 200
    delivered = response.json()
    assert delivered["title"] == TITLE
    assert delivered["summary"] == SUMMARY
    assert delivered["key_takeaways"] == TAKEAWAYS
    assert [(block["type"], block["value"]) for block in delivered["body"]] == [
        ("heading", HEADING),
        ("paragraph", f"<p>{PARAGRAPHS[0]}</p>"),
        ("paragraph", f"<p>{PARAGRAPHS[1]} <b>Ask</b></p>"),
    ]
    assert delivered["author"]["name"] == "Wendy Walsh"
    assert delivered["medical_reviewer"]["name"] == "Asha Rao"
    assert delivered["medical_review"]["status"] == "current"
    approval = MedicalApproval.objects.get(page_id=article.pk)
    assert (approval.reviewer.username, approval.comment) == ("dr_rao", COMMENT)

    assert csp_violations == []
