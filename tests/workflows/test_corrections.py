"""The corrections log: a correction's public note is approved with the change it describes,
published with the day it went live, and kept for good.

What is served is compared with the approval records' stored documents and the
API's JSON, never through the gate's own functions.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import body
from tests.served import served_as_approved, served_detail
from tests.workflows.admin_forms import article_form
from tests.workflows.flow import act, approve_all, edit, fresh, through_editorial
from workflows.gate import PublishRefused
from workflows.models import Correction, ImmutableRecordError, MedicalApproval
from workflows.takedown import article_take_down

NOTE = "An earlier version gave the wrong starting dose of trastuzumab."
WRONG = "Trastuzumab is started at 8 mg per kg every week."
RIGHT = "Trastuzumab is started at 8 mg per kg, then 6 mg per kg every three weeks."


@pytest.fixture
def live(article, people):
    approve_all(article, people)
    return fresh(article)


def corrected(page, people, note=NOTE, paragraph=RIGHT):
    """Edit `page` as a correction carrying `note` and approve it through the workflow."""
    edit(page, body=body(paragraph), change_kind="correction", correction_note=note)
    return approve_all(page, people)


def test_a_correction_goes_live_with_its_note_and_date(live, people):
    page = corrected(live, people)

    detail = served_as_approved(page)
    today = timezone.localdate().isoformat()
    assert detail["corrections"] == [{"date": today, "note": NOTE}]
    assert detail["json_ld"]["correction"] == [
        {"@type": "CorrectionComment", "text": NOTE, "datePublished": today}
    ]
    # The note readers get is the one in the document the clinician approved.
    approval = MedicalApproval.objects.filter(page_id=page.pk).first()
    assert approval.document["correction"] == NOTE
    assert RIGHT in str(approval.document["body"])


def test_the_note_is_part_of_what_the_clinician_approves(live, people):
    edit(live, body=body(RIGHT), change_kind="correction", correction_note=NOTE)
    through_editorial(live, people)
    act(live, people["clinician"], "approve")
    # Rewording the note after the approval is a change the approval does not cover.
    revision = edit(fresh(live), correction_note="An earlier version was fine.")
    with pytest.raises(PublishRefused):
        revision.publish()

    detail = served_detail(live.slug)
    assert detail["corrections"] == [{"date": timezone.localdate().isoformat(), "note": NOTE}]
    assert "An earlier version was fine." not in str(detail)
    assert Correction.objects.filter(page_id=live.pk).count() == 1


def test_an_update_publishes_no_correction(live, people):
    edit(live, body=body(RIGHT), change_kind="update")
    page = approve_all(live, people)

    assert served_as_approved(page)["corrections"] == []
    assert "correction" not in served_detail(page.slug)["json_ld"]
    assert not Correction.objects.exists()


def test_later_changes_keep_the_log_and_do_not_repeat_it(live, people):
    page = corrected(live, people)
    first = served_detail(page.slug)["corrections"]
    # A later revision still holding the note (a script copied it) is no new correction.
    edit(page, summary="A new teaser.")
    page = approve_all(page, people)
    second_note = "An earlier version said the drug is taken by mouth; it is given by drip."
    page = corrected(page, people, note=second_note, paragraph="It is given by drip.")

    corrections = served_as_approved(page)["corrections"]
    assert [c["note"] for c in corrections] == [second_note, NOTE]
    assert corrections[1] == first[0]
    assert Correction.objects.filter(page_id=page.pk).count() == 2


def test_a_takedown_and_republish_keeps_one_correction(live, people):
    page = corrected(live, people)
    article_take_down(article=page, user=people["editor"], reason="Label change pending.")
    assert served_detail(page.slug) is None

    # Back up on the same approval: the same correction, not a second one.
    MedicalApproval.objects.filter(page_id=page.pk).first().revision.publish()

    assert served_detail(page.slug)["corrections"] == [
        {"date": timezone.localdate().isoformat(), "note": NOTE}
    ]
    assert Correction.objects.filter(page_id=page.pk).count() == 1


def test_a_draft_records_nothing_and_the_record_names_the_approval_that_put_it_live(live, people):
    edit(live, body=body(RIGHT), change_kind="correction", correction_note=NOTE)
    assert not Correction.objects.exists()
    assert served_detail(live.slug)["corrections"] == []

    approve_all(live, people)
    correction = Correction.objects.get(page_id=live.pk)
    assert correction.published_at <= timezone.now()
    assert correction.approval_id == MedicalApproval.objects.filter(page_id=live.pk)[0].pk


def test_corrections_are_permanent(live, people):
    page = corrected(live, people)
    correction = Correction.objects.get(page_id=page.pk)
    with pytest.raises(ImmutableRecordError):
        Correction.objects.filter(pk=correction.pk).update(note="Nothing was wrong.")
    with pytest.raises(ImmutableRecordError):
        correction.delete()
    with pytest.raises(ImmutableRecordError):
        Correction.objects.all().delete()
    correction.note = "Nothing was wrong."
    with pytest.raises(ImmutableRecordError):
        correction.save()
    assert Correction.objects.get(pk=correction.pk).note == NOTE


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger is PostgreSQL's (run with DATABASE_URL=postgres://…)",
)
def test_postgresql_refuses_raw_update_and_delete_of_a_correction(live, people):
    page = corrected(live, people)
    for statement in (
        "UPDATE workflows_correction SET note = 'Nothing was wrong.'",
        "DELETE FROM workflows_correction",
    ):
        with (
            pytest.raises(DatabaseError, match="permanent record"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert Correction.objects.get(page_id=page.pk).note == NOTE


def test_the_clinician_is_shown_the_note_in_the_review(live, people, client):
    edit(live, body=body(RIGHT), change_kind="correction", correction_note=NOTE)
    through_editorial(live, people)
    client.force_login(people["clinician"])
    state = fresh(live).current_workflow_task_state
    response = client.get(reverse("workflows:medical_review", args=[state.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Public correction note" in page
    assert NOTE in page


# The editor's form.


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def posted(page, **extra):
    page = fresh(page)
    return article_form(
        title=page.title,
        summary=page.summary,
        author=page.author,
        reviewer=page.medical_reviewer,
        slug=page.slug,
        paragraph="HER2 is a growth receptor found on breast cells, and on some others.",
        **extra,
    )


def test_a_correction_without_its_note_is_refused(live, people, client):
    client.force_login(people["editor"])
    response = client.post(edit_url(live), posted(live, change_kind="correction"))

    assert response.status_code == 200
    assert "A correction is published with a note" in response.content.decode()
    assert fresh(live).get_latest_revision() == fresh(live).live_revision


def test_a_note_without_a_correction_is_refused(live, people, client):
    client.force_login(people["editor"])
    response = client.post(
        edit_url(live), posted(live, change_kind="update", correction_note=NOTE)
    )

    assert response.status_code == 200
    assert "Only a correction has a public note" in response.content.decode()


def test_submitting_a_change_of_a_live_article_asks_what_it_is(live, people, client):
    client.force_login(people["writer"])
    response = client.post(edit_url(live), posted(live, **{"action-submit": "action-submit"}))

    assert response.status_code == 200
    assert "say whether this change corrects an error" in response.content.decode()
    assert fresh(live).workflow_in_progress is False

    response = client.post(
        edit_url(live),
        posted(
            live,
            change_kind="correction",
            correction_note=NOTE,
            **{"action-submit": "action-submit"},
        ),
    )
    assert response.status_code == 302
    assert fresh(live).workflow_in_progress
    assert fresh(live).get_latest_revision_as_object().correction_note == NOTE


def test_a_new_article_has_nothing_to_correct(article, people, client):
    client.force_login(people["writer"])
    assert "change_kind" not in client.get(edit_url(article)).context["form"].fields

    response = client.post(
        edit_url(article), posted(article, change_kind="correction", correction_note=NOTE)
    )

    assert response.status_code == 302
    saved = fresh(article).get_latest_revision_as_object()
    assert (saved.change_kind, saved.correction_note) == ("", "")


def test_the_next_change_starts_unmarked_after_a_correction_went_live(live, people, client):
    page = corrected(live, people)
    client.force_login(people["editor"])
    form = client.get(edit_url(page)).context["form"]

    assert form.initial["change_kind"] == ""
    assert form.initial["correction_note"] == ""


def test_a_draft_keeps_its_marking_until_it_goes_live(live, people, client):
    edit(live, body=body(RIGHT), change_kind="correction", correction_note=NOTE)
    client.force_login(people["editor"])
    form = client.get(edit_url(live)).context["form"]

    assert form.initial["change_kind"] == "correction"
    assert form.initial["correction_note"] == NOTE


# Attacks: every path that could put a correction note before readers, or hide one.


def test_a_note_written_onto_the_live_row_is_never_served(live, people):
    """A script with the ORM adds a note to the live row: no approval covers it."""
    page = fresh(live)
    page.change_kind, page.correction_note = "correction", "Nothing in this article was wrong."
    with pytest.raises(PublishRefused):
        page.save()

    assert "Nothing in this article was wrong." not in str(served_detail(page.slug))
    assert not Correction.objects.exists()


def test_reverting_to_the_corrected_text_records_no_second_correction(live, people):
    page = corrected(live, people)
    corrected_revision = fresh(page).live_revision
    edit(page, body=body("A later update."), change_kind="update", correction_note="")
    page = approve_all(page, people)
    # Back to the corrected revision's content, approved again.
    corrected_revision.as_object().save_revision()
    page = approve_all(page, people)

    assert [c["note"] for c in served_as_approved(page)["corrections"]] == [NOTE]
    assert Correction.objects.filter(page_id=page.pk).count() == 1


def test_the_log_follows_what_is_public(live, people):
    page = corrected(live, people)
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/api/v1/corrections/").json()["count"] == 1

    article_take_down(article=page, user=people["editor"], reason="Recall.")

    listed = client.get("/api/v1/corrections/").json()
    assert listed == {"count": 0, "next": None, "previous": None, "results": []}
    # Kept for good: it is listed again when the article is back.
    assert Correction.objects.filter(page_id=page.pk).exists()


def test_a_correction_a_script_inserts_is_refused_and_never_shown(live, people):
    """A script with the ORM, or raw SQL, adds a correction no approved document carries."""
    approval = MedicalApproval.objects.filter(page_id=live.pk).first()
    with pytest.raises(ImmutableRecordError):
        Correction.objects.create(page_id=live.pk, approval=approval, note="Made up.")
    page = corrected(live, people)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflows_correction (page_id, approval_id, note, published_at) "
            "VALUES (%s, %s, %s, %s)",
            [page.pk, approval.pk, "Made up.", timezone.now()],
        )
    # Its document written anew (taken down, then up again), and the log: only the approved one.
    article_take_down(article=page, user=people["editor"], reason="Checking a dose.")
    MedicalApproval.objects.filter(page_id=page.pk).first().revision.publish()

    assert [c["note"] for c in served_detail(page.slug)["corrections"]] == [NOTE]
    listed = Client(HTTP_HOST="127.0.0.1").get("/api/v1/corrections/").json()
    assert [c["note"] for c in listed["results"]] == [NOTE]


def test_a_copy_of_a_corrected_article_publishes_no_correction(live, people, client):
    """Readers never saw the copy: the note it carried is not a correction of it."""
    page = corrected(live, people)
    copy = page.copy(update_attrs={"slug": "her2-copy", "title": "HER2, again"})
    client.force_login(people["writer"])
    form = posted(copy, change_kind="correction", correction_note=NOTE)
    form["slug"] = "her2-copy"
    assert client.post(edit_url(copy), form).status_code == 302
    copy = approve_all(copy, people)

    assert served_detail("her2-copy")["corrections"] == []
    assert not Correction.objects.filter(page_id=copy.pk).exists()


def test_a_first_publish_carrying_a_note_records_no_correction(people, index):
    """A script drafts a new article with a note; its clinician approves it."""
    from tests.factories import article_draft

    draft = article_draft(
        author=people["author"],
        medical_reviewer=people["reviewer"],
        change_kind="correction",
        correction_note=NOTE,
    )
    page = approve_all(draft, people)

    assert served_detail(page.slug)["corrections"] == []
    assert not Correction.objects.exists()
