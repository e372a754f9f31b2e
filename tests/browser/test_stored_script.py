"""Stored script on the reference frontend's article page, in Chromium.

Two defences, each proved on its own: rich text reaches the page sanitised, so
Chromium finds no element that could run; and the page's
Content-Security-Policy runs no inline script, so markup that got past the
sanitiser would still not run.
"""

from playwright.sync_api import expect

from tests.factories import published_article

# Wagtail's allowlist passed this; Chromium reads <![CDATA[> as a comment that ends
# at its ">", then an <img> whose onerror runs.
CDATA = "<![CDATA[><img src=x onerror=alert(document.domain)>]]>"
INJECTED = '<img id="injected" src="/no-such-image.png" onerror="alert(document.domain)">'


def dialogs_of(page):
    """The messages of the dialogs script on `page` opened (each is dismissed)."""
    opened = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def test_a_stored_cdata_payload_does_not_run_on_the_article_page(page):
    published_article(
        slug="stored-cdata",
        body=[
            {"type": "paragraph", "value": f"<p>Before {CDATA} after</p>"},
            {"type": "callout", "value": {"tone": "info", "text": f"<p>Note {CDATA}</p>"}},
        ],
    )
    opened = dialogs_of(page)

    page.goto("/articles/stored-cdata/")

    body = page.locator(".article__body")
    expect(body).to_contain_text("Before")
    # As Chromium parsed it: nothing the payload meant to become an element did.
    expect(body.locator("img")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    page.wait_for_load_state("networkidle")
    assert opened == []


def test_markup_past_the_sanitiser_would_not_run_under_the_pages_policy(page):
    """The article page as served, its headers kept, with an inline handler added."""
    published_article(slug="stored-cdata")
    opened = dialogs_of(page)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def inject(route):
        served = route.fetch()
        assert "'unsafe-inline'" not in served.headers["content-security-policy"]
        body = served.text().replace("</main>", f"{INJECTED}</main>")
        route.fulfill(response=served, body=body)

    page.route("**/articles/stored-cdata/", inject)
    page.goto("/articles/stored-cdata/")

    # The handler's element is there and its image failed to load: Chromium refused
    # to run the handler, and said so.
    expect(page.locator("#injected")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert opened == []
    assert any("inline event handler" in message for message in refused), refused
