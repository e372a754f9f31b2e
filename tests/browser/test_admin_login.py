from tests.factories import editor


def test_editor_logs_into_the_admin_in_chromium(page, admin_login):
    editor(username="eve")
    admin_login("eve")
    assert page.locator("main").count() == 1
    assert page.url.endswith("/admin/")
