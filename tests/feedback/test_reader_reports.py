"""Reader reports: POST /api/v1/articles/{slug}/feedback/, and the queue that closes them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageLogEntry

from api import keys
from cms.roles import roles_ensure
from feedback.models import ReaderReport
from feedback.services import CLOSED, report_close
from tests.factories import (
    MedicalReviewerFactory,
    article_draft,
    article_index,
    editor,
    published_article,
    published_correction,
    writer,
)
from workflows.models import Correction

URL = "/api/v1/articles/what-is-her2/feedback/"
MESSAGE = "The dose in the second paragraph looks ten times too high."


@pytest.fixture
def article(db):
    roles_ensure(article_index=article_index())
    return published_article(slug="what-is-her2", medical_reviewer=MedicalReviewerFactory())


def test_a_report_is_kept_with_only_what_the_reader_typed(
    api, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, {"message": MESSAGE, "email": "reader@example.org"})

    assert response.status_code == 201
    report = ReaderReport.objects.get(pk=response.json()["id"])
    assert (report.article_id, report.message, report.email) == (
        article.pk,
        MESSAGE,
        "reader@example.org",
    )
    kept = {field.name for field in ReaderReport._meta.fields}
    assert not kept & {"ip", "address", "user_agent", "remote_addr"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # The reviewer is told, with the reader's words; the history says a report came.
    (told,) = mail.outbox
    assert told.to == [article.medical_reviewer.user.email]
    assert MESSAGE in told.body and "reader@example.org" not in told.body
    assert PageLogEntry.objects.filter(
        page_id=article.pk, action="vetted.reader_report_received"
    ).exists()


def test_a_report_without_an_address_is_anonymous(api, article):
    response = api.post(URL, {"message": MESSAGE})
    assert response.status_code == 201
    assert ReaderReport.objects.get().email == ""


@pytest.mark.parametrize(
    ("body", "field", "complaint"),
    [
        ({}, "message", "required"),
        ({"message": "   "}, "message", "may not be blank"),
        ({"message": "\n\t"}, "message", "may not be blank"),
        ({"message": "x" * 2001}, "message", "no more than 2000"),
        ({"message": MESSAGE, "email": "not an address"}, "email", "valid email"),
        ({"message": MESSAGE, "website": "http://spam.example"}, "website", "Leave this field"),
        ({"message": ["a", "list"]}, "message", "Send the message as text"),
    ],
)
def test_bad_input_is_a_400_saying_what_is_wrong_and_keeps_nothing(
    api, article, body, field, complaint
):
    response = api.post(URL, body)
    assert response.status_code == 400
    assert complaint in " ".join(response.json()[field])
    assert not ReaderReport.objects.exists()


def test_a_body_that_is_not_json_is_refused(api, article):
    response = api.post(URL, b"{not json")
    assert response.status_code == 400
    assert "Send the report as JSON" in response.json()["body"][0]
    assert not ReaderReport.objects.exists()


def test_an_oversized_body_is_a_413(api, article):
    response = api.post(URL, {"message": MESSAGE, "padding": "x" * 20_000})
    assert response.status_code == 413
    assert "at most 2000 characters" in response.json()["detail"]
    assert not ReaderReport.objects.exists()


def test_only_public_articles_take_reports(api, db):
    article_draft(slug="draft-only")
    assert (
        api.post("/api/v1/articles/draft-only/feedback/", {"message": MESSAGE}).status_code == 404
    )
    assert api.post("/api/v1/articles/nowhere/feedback/", {"message": MESSAGE}).status_code == 404
    assert not ReaderReport.objects.exists()


def test_reports_are_limited_per_address(api, article, settings):
    settings.VETTED_FEEDBACK_RATES = {"address": "3/hour", "article": "100/hour"}
    statuses = [
        api.post(URL, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    refused = api.post(URL, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7")
    assert int(refused["Retry-After"]) > 0
    # Another reader is not held up by the first one.
    assert api.post(URL, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.8").status_code == 201
    assert ReaderReport.objects.count() == 4


def test_reports_are_limited_per_article(api, article, settings):
    settings.VETTED_FEEDBACK_RATES = {"address": "100/hour", "article": "3/hour"}
    statuses = [
        api.post(URL, {"message": MESSAGE}, REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    published_article(slug="other-article", title="Other")
    other = api.post("/api/v1/articles/other-article/feedback/", {"message": MESSAGE})
    assert other.status_code == 201


def test_the_schema_documents_the_report(client):
    operation = client.get("/api/v1/schema/?format=json").json()["paths"][
        "/api/v1/articles/{slug}/feedback/"
    ]["post"]
    assert set(operation["responses"]) >= {"201", "400", "404", "413", "429"}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ReaderReport")


# --- the admin queue -------------------------------------------------------------------


@pytest.fixture
def report(api, article):
    return ReaderReport.objects.get(pk=api.post(URL, {"message": MESSAGE}).json()["id"])


def close(client, report, outcome, note="Checked against the label: the dose is right."):
    return client.post(
        reverse("reader_report", args=[report.pk]), {"outcome": outcome, "note": note}
    )


def test_the_reviewer_sends_the_article_to_rereview_from_the_report(
    client, report, article, django_capture_on_commit_callbacks
):
    reviewer = article.medical_reviewer.user
    client.force_login(reviewer)
    queue = client.get(reverse("reader_reports")).content.decode()
    assert MESSAGE[:40] in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = close(client, report, "rereview", note="The dose needs checking.")

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.outcome, report.closed_by) == ("rereview", reviewer)
    article.refresh_from_db()
    assert article.current_workflow_state is not None  # back in review
    assert article.live  # the approved text stays until the new one is approved
    entry = PageLogEntry.objects.get(page_id=article.pk, action=CLOSED)
    assert entry.data["note"] == "The dose needs checking."
    assert any("because of a reader's report" in message.body for message in mail.outbox)


def test_a_report_is_closed_once(client, report, article):
    client.force_login(editor(username="eddie"))
    assert close(client, report, "no_change").status_code == 302
    again = close(client, report, "corrected", note="Changed my mind.")
    assert again.status_code == 200
    report.refresh_from_db()
    assert report.outcome == "no_change"
    assert "This report was closed already" in again.content.decode()
    assert PageLogEntry.objects.filter(page_id=article.pk, action=CLOSED).count() == 1


def test_closing_needs_an_outcome_and_a_note(client, report):
    client.force_login(editor(username="eddie"))
    response = close(client, report, "no_change", note="  ")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.is_open


@pytest.mark.parametrize("who", ["writer", "another clinician"])
def test_nobody_else_sees_or_closes_a_report(client, report, who):
    other = writer(username="wendy") if who == "writer" else MedicalReviewerFactory().user
    client.force_login(other)
    assert close(client, report, "no_change").status_code == 404
    assert MESSAGE[:40] not in client.get(reverse("reader_reports")).content.decode()
    report.refresh_from_db()
    assert report.is_open


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(api, article, settings):
    settings.VETTED_FEEDBACK_RATES = {"address": "2/hour", "article": "100/hour"}
    statuses = [
        api.post(
            URL,
            {"message": MESSAGE},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_markup_in_a_report_is_shown_as_text_in_the_admin(api, client, article):
    api.post(URL, {"message": '<script>alert("x")</script> <img src=x onerror=alert(1)>'})
    client.force_login(editor(username="eddie"))
    report = ReaderReport.objects.get()
    page = client.get(reverse("reader_report", args=[report.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_a_server_side_frontend_with_a_key_is_not_held_to_one_readers_limit(
    api, article, settings
):
    """Its readers all post from its one address: its key's rate applies instead."""
    settings.VETTED_FEEDBACK_RATES = {"address": "2/hour", "article": "100/hour"}
    _key, token = keys.delivery_key_create(
        name="Web frontend", requests_per_minute=100, created_by=editor(username="keys")
    )
    with_key = [
        api.post(
            URL,
            {"message": MESSAGE},
            REMOTE_ADDR="203.0.113.50",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        ).status_code
        for _ in range(4)
    ]
    assert with_key == [201, 201, 201, 201]
    without = [
        api.post(URL, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.50").status_code
        for _ in range(3)
    ]
    assert without == [201, 201, 429]


# A report that leads to a correction links to it.

CORRECTION = "An earlier version gave a dose ten times too high."


def test_closing_as_corrected_waits_for_the_correction_to_go_live(client, report):
    client.force_login(editor(username="eddie"))
    response = close(client, report, "corrected", note="Fixed in the next edit.")

    assert response.status_code == 200
    assert "No correction of this article has gone live" in response.content.decode()
    report.refresh_from_db()
    assert report.is_open


def test_a_report_closed_as_corrected_links_to_the_correction(client, report, article):
    article = published_correction(article, CORRECTION)
    client.force_login(editor(username="eddie"))

    assert close(client, report, "corrected", note="The dose was wrong.").status_code == 302

    report.refresh_from_db()
    assert report.correction.note == CORRECTION
    assert report.correction.page_id == article.pk
    entry = PageLogEntry.objects.get(page_id=article.pk, action=CLOSED)
    assert entry.data["correction"]["note"] == CORRECTION
    page = client.get(reverse("reader_report", args=[report.pk])).content.decode()
    assert "It led to the correction published" in page
    assert CORRECTION in page


def test_a_correction_made_before_the_report_is_not_linked_by_default(client, article, api):
    published_correction(article, CORRECTION)
    report = ReaderReport.objects.get(pk=api.post(URL, {"message": MESSAGE}).json()["id"])
    client.force_login(editor(username="eddie"))

    response = close(client, report, "corrected", note="Already corrected.")

    assert "No correction of this article has gone live" in response.content.decode()
    # Chosen on purpose, it is linked.
    chosen = Correction.objects.get(page_id=article.pk)
    response = client.post(
        reverse("reader_report", args=[report.pk]),
        {"outcome": "corrected", "note": "Already corrected.", "correction": chosen.pk},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.correction == chosen


def test_another_articles_correction_cannot_be_linked(report, article):
    other = published_correction(published_article(slug="other"), CORRECTION)
    foreign = Correction.objects.get(page_id=other.pk)

    with pytest.raises(ValidationError, match="not one of this article's"):
        report_close(
            report=report,
            user=editor(username="eddie"),
            outcome="corrected",
            note="Linked elsewhere.",
            correction=foreign,
        )
    report.refresh_from_db()
    assert report.is_open and report.correction is None
