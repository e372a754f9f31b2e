"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

Tests here are marked ``browser``. They skip, saying why, where Chromium is not
installed; `.ci/run` installs it. A failing test leaves a screenshot in
``test-artifacts/``.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

CHROMIUM = os.environ.get("VETTED_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Flags for a sandboxed CI machine with no network beyond loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium(django_db_blocker):
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("VETTED_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; the
    # tests' own ORM calls are still synchronous, so Django's async guard steps
    # aside, for the browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            _serialized_copy_hand_over(django_db_blocker)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _serialized_copy_hand_over(django_db_blocker):
    """Let the rollback of browser tests restore Wagtail's root page and site.

    Browser tests roll back by flushing the database and restoring the copy
    Django serialized after migrating, which Django looks up on
    ``connections[alias]``. Once Playwright's event loop runs in this thread,
    that is a second connection object (asgiref keys it by context) without the
    copy. The thread's first connection still holds it: put the database back as
    migrations left it (an earlier transactional test may have flushed it), and
    hand the copy over so that every browser test's rollback restores it.
    """
    current = connections[DEFAULT_DB_ALIAS]
    storage = object.__getattribute__(connections._connections, "_storage")
    contents = getattr(getattr(storage, DEFAULT_DB_ALIAS, None), "_test_serialized_contents", None)
    if hasattr(current, "_test_serialized_contents") or contents is None:
        return
    rows = json.loads(contents)
    content_types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    with django_db_blocker.unblock():
        # Sequences stay where they are: the restored rows keep their ids.
        call_command(
            "flush",
            interactive=False,
            verbosity=0,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        # Content types first, and their cache reset: saving the rest looks them up.
        current.creation.deserialize_db_from_string(json.dumps(content_types))
        ContentType.objects.clear_cache()
        current.creation.deserialize_db_from_string(contents)
    cache.clear()
    current._test_serialized_contents = contents


@pytest.fixture
def page(chromium, request, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        browser_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def admin_login(page):
    """Log `username` into the Wagtail admin in the browser page."""

    def login(username, password="correct horse battery staple"):
        page.context.clear_cookies()
        page.goto("/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/admin/$"))
        return page

    return login
