"""The reference frontend in Chromium: the demo article as readers see it, and the
admin's preview of an edited draft beside the approved public page."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from cms.roles import roles_ensure
from content_models.models import ArticlePage
from tests.factories import MedicalReviewerFactory, article_index, editor, published_article
from tests.factories import body as article_body

BANNER = "Draft: not yet medically reviewed"


def long_date(moment):
    return f"{moment:%B} {moment.day}, {moment.year}"


def test_the_demo_her2_article_with_its_bylines(page, monkeypatch):
    monkeypatch.setenv("VETTED_DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo")
    her2 = ArticlePage.objects.get(slug="what-is-her2")

    page.goto("/")
    link = page.get_by_role("link", name="What Is HER2?")
    expect(link).to_have_attribute("href", "/articles/what-is-her2/")
    link.click()

    page.wait_for_url(re.compile(r"/articles/what-is-her2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What Is HER2?")
    meta = page.locator(".article__meta")
    expect(meta).to_contain_text(f"Posted on {long_date(her2.first_published_at)}")
    expect(meta).to_contain_text("Article written by Priya Raman")
    expect(meta).to_contain_text(
        f"Medically reviewed by Amara Okafor, M.D. on {long_date(her2.reviewed_at)}"
    )
    expect(page.get_by_role("heading", name="Key takeaways")).to_be_visible()
    expect(
        page.get_by_role("link", name="diagnostic tests for HER2-positive breast cancer")
    ).to_have_attribute("href", "/articles/tests-for-her2-positive-breast-cancer/")
    expect(page.get_by_role("heading", name="Recent articles")).to_be_visible()

    # Keyboard: the first Tab reaches a visible skip link that leads into the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # On a phone nothing spills sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_admin_preview_shows_the_edited_draft_while_the_public_page_stays_approved(
    page, admin_login, live_server, settings
):
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"{live_server.url}/preview/"},
    }
    roles_ensure(article_index=article_index())
    editor(username="eve")
    article = published_article(
        title="What Is HER2?",
        slug="what-is-her2",
        summary="The approved summary.",
        body=article_body("The approved paragraph."),
        medical_reviewer=MedicalReviewerFactory(name="Amara Okafor", credentials="M.D."),
    )

    admin_login("eve")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.fill("#id_summary", "An edited summary nobody has approved yet.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible()

    page.get_by_role("button", name="Toggle preview").click()
    draft = page.frame_locator("#w-preview-iframe").frame_locator("iframe")
    expect(draft.get_by_role("status")).to_contain_text(BANNER)
    expect(draft.locator(".article__summary")).to_have_text(
        "An edited summary nobody has approved yet."
    )

    page.goto("/articles/what-is-her2/")
    expect(page.locator(".article__summary")).to_have_text("The approved summary.")
    expect(page.get_by_text(BANNER)).to_have_count(0)
