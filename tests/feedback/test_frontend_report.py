""" "Report a problem with this page" on the reference frontend."""

import pytest

from feedback.models import ReaderReport
from tests.factories import MedicalReviewerFactory, published_article
from tests.frontend.html import assert_accessible_structure, elements, text

READER = "198.51.100.23"


@pytest.fixture
def article(db):
    return published_article(
        slug="what-is-her2", medical_reviewer=MedicalReviewerFactory(name="Asha Rao")
    )


def test_the_article_links_to_its_report_form(client, article):
    page = client.get("/articles/what-is-her2/")
    links = {attrs.get("href") for attrs in elements(page, "a")}
    assert "/articles/what-is-her2/report/" in links
    # The article page stays cacheable: the form, with its token, is a page of its own.
    assert "csrfmiddlewaretoken" not in page.content.decode()


def test_a_reader_reports_a_problem(client, article):
    form = client.get("/articles/what-is-her2/report/")
    assert form.status_code == 200
    assert "no-cache" in form["Cache-Control"] or "no-store" in form["Cache-Control"]
    assert "form-action 'self'" in form["Content-Security-Policy"]
    assert "Asha Rao" in text(form)
    assert_accessible_structure(form)

    sent = client.post(
        "/articles/what-is-her2/report/",
        {"message": "The HER2 test name is misspelt.", "email": "", "website": ""},
        REMOTE_ADDR=READER,
    )

    assert sent.status_code == 200
    assert "Thank you" in text(sent)
    report = ReaderReport.objects.get()
    assert report.message == "The HER2 test name is misspelt." and report.email == ""
    assert f"number {report.pk}" in text(sent)


def test_a_bot_filling_the_hidden_field_is_refused(client, article):
    refused = client.post(
        "/articles/what-is-her2/report/",
        {"message": "Buy now", "website": "http://spam.example"},
        REMOTE_ADDR=READER,
    )
    assert refused.status_code == 400
    assert not ReaderReport.objects.exists()


def test_the_limit_counts_each_reader_not_the_frontend(client, article, settings):
    settings.VETTED_FEEDBACK_RATES = {"address": "2/hour", "article": "100/hour"}
    statuses = [
        client.post(
            "/articles/what-is-her2/report/", {"message": "Typo."}, REMOTE_ADDR=READER
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert "try again later" in text(
        client.post("/articles/what-is-her2/report/", {"message": "Typo."}, REMOTE_ADDR=READER)
    )
    other = client.post(
        "/articles/what-is-her2/report/", {"message": "Typo."}, REMOTE_ADDR="198.51.100.99"
    )
    assert other.status_code == 200 and "Thank you" in text(other)


def test_an_empty_report_says_what_to_do(client, article):
    response = client.post("/articles/what-is-her2/report/", {"message": ""}, REMOTE_ADDR=READER)
    assert response.status_code == 400
    assert "This field is required" in text(response)
    assert not ReaderReport.objects.exists()
