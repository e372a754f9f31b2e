"""Red team: the corrections log (a note, its date, its article, whether it shows at all).

The attackers are a writer, an editor, a script with the ORM or raw SQL, a
second process, and a CDN in front. Each test passes when the attack fails:
every correction readers are shown (the detail's ``corrections``, JSON-LD,
``GET /api/v1/corrections/``) is a note the article's clinician approved in that
article's own document, dated the day that document went live, and no
published correction disappears while its article is public. Checks read the
served JSON and the approval records, never the gate's own helpers.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, PageViewRestriction, Revision

from api.models import ArticleDocument
from content_models.models import ArticlePage, Author
from tests.api.helpers import preview_token
from tests.api.test_purging import cdn, varnish  # noqa: F401 (fixtures)
from tests.factories import body
from tests.served import served_as_approved, served_detail
from tests.workflows.admin_forms import article_form
from tests.workflows.flow import approve_all, edit, fresh, through_editorial
from workflows.models import Correction, MedicalApproval
from workflows.roles import WRITERS

NOTE = "An earlier version gave the wrong starting dose of trastuzumab."
WRONG = "Trastuzumab is started at 8 mg per kg every week."
RIGHT = "Trastuzumab is started at 8 mg per kg, then 6 mg per kg every three weeks."
FORGED = "Nothing in this article was ever wrong."


def reader():
    return Client(HTTP_HOST="127.0.0.1")


def served_log():
    response = reader().get("/api/v1/corrections/", {"page_size": 100})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def attempt(action):
    """Run `action` in a savepoint; a refusal (or database error) is an outcome, not a failure."""
    try:
        with transaction.atomic():
            action()
    except (PermissionDenied, ValidationError, DatabaseError) as refused:
        return refused
    return None


def approved_notes(page_id):
    """``{note: approved_at}`` of every note an approval of article `page_id` carries."""
    notes = {}
    for approval in MedicalApproval.objects.filter(page_id=page_id).order_by("approved_at"):
        note = (approval.document or {}).get("correction")
        if note:
            notes.setdefault(note, approval.approved_at)
    return notes


def corrections_as_approved(page):
    """Every correction readers are shown of `page`, in its detail and in the log, is a note
    an approval of that article carries, dated no earlier than that approval and no later
    than today, listed once."""
    today = timezone.localdate()
    notes = approved_notes(page.pk)
    detail = served_detail(fresh(page).slug)
    listed = [c for c in served_log() if c["article"]["id"] == page.pk]
    shown = (detail or {}).get("corrections", [])
    for correction in [*shown, *listed]:
        assert correction["note"] in notes, correction
        date = datetime.date.fromisoformat(correction["date"])
        assert timezone.localdate(notes[correction["note"]]) <= date <= today, correction
    assert len({c["note"] for c in listed}) == len(listed), listed
    if detail is not None:
        assert [(c["date"], c["note"]) for c in listed] == [(c["date"], c["note"]) for c in shown]
        assert [c["text"] for c in detail["json_ld"].get("correction", [])] == [
            c["note"] for c in shown
        ]
    return shown


@pytest.fixture
def response_caching(settings):
    """The app's own response cache on, as deployed."""
    settings.VETTED = {**settings.VETTED, "API_RESPONSE_CACHE": True}
    caches["default"].clear()


@pytest.fixture
def live(article, people):
    """An article live with the wrong dose, as its clinician approved it at the time."""
    edit(article, body=body(WRONG))
    return approve_all(article, people)


def corrected(page, people, note=NOTE, paragraph=RIGHT, **changes):
    edit(page, body=body(paragraph), change_kind="correction", correction_note=note, **changes)
    return approve_all(page, people)


def scheduled_correction(page, people):
    """A correction approved through the workflow to go live in an hour: its approval."""
    later = timezone.now() + datetime.timedelta(hours=1)
    corrected(page, people, go_live_at=later)
    scheduled = Revision.objects.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    approval = MedicalApproval.objects.filter(page_id=page.pk).first()
    assert approval.revision_id == scheduled.pk
    return approval


def scheduled_moment_arrives(page):
    scheduled = Revision.objects.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save()
    call_command("publish_scheduled")


# Bringing back what a correction fixed ------------------------------------------------------


def test_reverting_to_the_text_a_correction_fixed_is_refused(live, people):
    wrong_revision = fresh(live).live_revision
    page = corrected(live, people)

    reverted = wrong_revision.as_object().save_revision(previous_revision=wrong_revision)
    attempt(lambda: reverted.publish(previous_revision=wrong_revision, user=people["editor"]))

    detail = served_as_approved(fresh(page))
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]
    assert WRONG not in json.dumps(detail["body"])


# The stored detail carried forward -----------------------------------------------------------


@pytest.mark.parametrize(
    "poison",
    [[], [{"date": "2020-01-01", "note": FORGED}]],
    ids=["correction-dropped", "correction-forged"],
)
def test_a_corrections_list_rewritten_in_the_stored_detail_is_not_carried_forward(
    live, people, poison
):
    page = corrected(live, people)
    stored = ArticleDocument.objects.get(pk=page.pk)
    detail = json.loads(stored.detail)
    detail["corrections"] = poison
    ArticleDocument.objects.filter(pk=page.pk).update(detail=json.dumps(detail))

    # The next approved change (an update, no note) is written from the approval.
    edit(page, summary="A clearer teaser.", change_kind="update", correction_note="")
    page = approve_all(page, people)

    assert served_as_approved(page)["summary"] == "A clearer teaser."
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


# Records written by a script -------------------------------------------------------------


def test_a_scheduled_correction_shows_nowhere_until_it_goes_live_and_is_dated_then(live, people):
    scheduled_correction(live, people)

    assert served_detail(live.slug)["corrections"] == []
    assert served_log() == []
    assert WRONG in json.dumps(served_detail(live.slug)["body"])

    scheduled_moment_arrives(live)

    today = timezone.localdate().isoformat()
    assert corrections_as_approved(live) == [{"date": today, "note": NOTE}]
    assert RIGHT in json.dumps(served_as_approved(fresh(live))["body"])


def test_a_script_cannot_date_a_correction_before_it_goes_live(live, people):
    approval = scheduled_correction(live, people)
    backdated = timezone.now() - datetime.timedelta(days=400)

    attempt(
        lambda: Correction.objects.create(
            page_id=live.pk, approval=approval, note=NOTE, published_at=backdated
        )
    )

    assert served_log() == []
    scheduled_moment_arrives(live)
    today = timezone.localdate().isoformat()
    assert corrections_as_approved(live) == [{"date": today, "note": NOTE}]


def _bulk_create(page, approval):
    Correction.objects.bulk_create([Correction(page_id=page.pk, approval=approval, note=FORGED)])


def _raw_insert(page, approval):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflows_correction (page_id, approval_id, note, published_at) "
            "VALUES (%s, %s, %s, %s)",
            [page.pk, approval.pk, FORGED, timezone.now()],
        )


@pytest.mark.parametrize("insert", [_bulk_create, _raw_insert], ids=["bulk_create", "raw_sql"])
def test_a_row_written_ahead_of_a_scheduled_correction_cannot_suppress_it(live, people, insert):
    approval = scheduled_correction(live, people)

    attempt(lambda: insert(live, approval))
    scheduled_moment_arrives(live)

    assert RIGHT in json.dumps(served_as_approved(fresh(live))["body"])
    assert [c["note"] for c in corrections_as_approved(live)] == [NOTE]
    assert FORGED not in json.dumps(served_log())


def test_a_row_naming_another_article_or_note_is_never_listed(live, people, index):
    from tests.factories import article_draft

    other = article_draft(
        title="Dosing", slug="dosing", author=people["author"], medical_reviewer=people["reviewer"]
    )
    other = approve_all(other, people)
    page = corrected(live, people)
    # A second approval of the same corrected text: it carries the note and has no record.
    edit(page, summary="Same correction, a new teaser.")
    page = approve_all(page, people)
    spare = MedicalApproval.objects.filter(page_id=page.pk).first()
    assert spare.document["correction"] == NOTE and not Correction.objects.filter(approval=spare)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflows_correction (page_id, approval_id, note, published_at) "
            "VALUES (%s, %s, %s, %s)",
            [other.pk, spare.pk, NOTE, timezone.now()],
        )

    assert [c["article"]["id"] for c in served_log()] == [page.pk]
    assert served_detail(other.slug)["corrections"] == []
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


# Writes around the gate -------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"change_kind": "correction", "correction_note": FORGED},
        {"change_kind": "", "correction_note": ""},
    ],
    ids=["note-written", "note-cleared"],
)
def test_a_note_written_or_cleared_on_the_live_row_by_update_never_reaches_readers(
    live, people, fields
):
    page = corrected(live, people)
    ArticlePage.objects.filter(pk=page.pk).update(**fields)

    # Something the article shows changes: its document is written again from the live row.
    author = Author.objects.get(pk=page.author_id)
    author.bio = "Now at another hospital."
    author.save()

    assert FORGED not in json.dumps(served_log())
    assert not Correction.objects.filter(note=FORGED).exists()
    detail = served_detail(page.slug)
    # Either the article is withdrawn (no approval covers the row) or it keeps its correction.
    if detail is not None:
        assert FORGED not in json.dumps(detail)
        assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


def test_an_approved_revision_reworded_in_the_database_does_not_go_live(live, people):
    scheduled_correction(live, people)
    scheduled = Revision.objects.get(object_id=str(live.pk), approved_go_live_at__isnull=False)
    content = dict(scheduled.content, correction_note=FORGED)
    Revision.objects.filter(pk=scheduled.pk).update(content=content)

    scheduled_moment_arrives(live)

    refusal = PageLogEntry.objects.get(page_id=live.pk, action="vetted.publish_refused")
    assert "has not been approved" in refusal.data["reason"]
    assert FORGED not in json.dumps(served_log())
    assert FORGED not in json.dumps(served_detail(live.slug))
    assert not Correction.objects.filter(page_id=live.pk).exists()


def test_an_editor_cannot_publish_a_correction_note_from_the_edit_form(live, people, client):
    client.force_login(people["editor"])
    page = fresh(live)
    data = article_form(
        title=page.title,
        summary=page.summary,
        author=page.author,
        reviewer=page.medical_reviewer,
        slug=page.slug,
        paragraph=WRONG,
        change_kind="correction",
        correction_note=FORGED,
        **{"action-publish": "action-publish"},
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)

    assert "Saved as a draft, not published" in response.content.decode()
    assert fresh(page).get_latest_revision_as_object().correction_note == FORGED
    assert FORGED not in json.dumps(served_detail(page.slug))
    assert served_log() == []
    assert not Correction.objects.exists()
    served_as_approved(fresh(page))


def test_a_copy_of_a_corrected_article_shows_only_what_its_own_review_approved(
    live, people, client
):
    page = corrected(live, people)
    copy = page.copy(
        keep_live=True,
        update_attrs={"slug": "her2-copy", "title": "What is HER2? (copy)"},
        user=people["editor"],
    )
    copy = fresh(copy)
    assert not copy.live
    assert served_detail("her2-copy") is None
    assert [c["article"]["id"] for c in served_log()] == [page.pk]

    # The copy carries the original's note; its clinician is shown it in the copy's review.
    through_editorial(copy, people)
    client.force_login(people["clinician"])
    state = fresh(copy).current_workflow_task_state
    review = client.get(reverse("workflows:medical_review", args=[state.pk])).content.decode()
    assert "Public correction note" in review and NOTE in review
    state.task.specific.on_action(state, people["clinician"], "approve", comment="Accurate.")

    assert served_as_approved(fresh(copy)) is not None
    corrections_as_approved(copy)
    corrections_as_approved(page)
    assert [c["note"] for c in served_detail(page.slug)["corrections"]] == [NOTE]


def test_an_alias_of_a_corrected_article_lists_nothing_of_its_own(live, people):
    page = corrected(live, people)
    alias = page.create_alias(update_slug="her2-alias")
    edit(page, summary="Later teaser.", change_kind="update", correction_note="")
    page = approve_all(page, people)

    assert not fresh(alias).live
    assert served_detail("her2-alias") is None
    assert [(c["article"]["id"], c["note"]) for c in served_log()] == [(page.pk, NOTE)]
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


# What is public, through caches --------------------------------------------------------------


def test_a_private_article_leaves_the_log_through_the_caches(
    live,
    people,
    response_caching,
    varnish,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        page = corrected(live, people)
    shown = reader().get("/api/v1/corrections/")
    tags = set(shown["xkey"].split())
    assert [c["note"] for c in shown.json()["results"]] == [NOTE]
    varnish.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")

    assert varnish.purged_tags() & tags
    assert served_log() == []
    assert served_detail(page.slug) is None

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=page).delete()
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


def test_a_correction_going_live_reaches_a_cached_log_and_detail(
    live, people, response_caching, django_capture_on_commit_callbacks
):
    assert served_log() == []
    assert served_detail(live.slug)["corrections"] == []

    with django_capture_on_commit_callbacks(execute=True):
        page = corrected(live, people)

    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]
    assert [c["note"] for c in served_log()] == [NOTE]


def test_a_renamed_article_is_listed_under_its_approved_name_only(
    live,
    people,
    varnish,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page = corrected(live, people)
    tags = set(reader().get("/api/v1/corrections/")["xkey"].split())
    # Renamed around the gate: readers keep the approved title and slug.
    ArticlePage.objects.filter(pk=page.pk).update(title="Forged title", slug="forged")
    assert [c["article"]["title"] for c in served_log()] == [page.title]
    ArticlePage.objects.filter(pk=page.pk).update(title=page.title, slug=page.slug)
    varnish.requests.clear()

    # Renamed through the workflow: the log follows, and its cached copies are purged.
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, title="HER2, explained", slug="her2-explained", change_kind="update")
        page = approve_all(page, people)

    assert varnish.purged_tags() & tags
    (entry,) = served_log()
    renamed = {"id": page.pk, "slug": "her2-explained", "title": "HER2, explained"}
    assert entry["article"] == renamed
    assert [c["note"] for c in corrections_as_approved(page)] == [NOTE]


def test_a_preview_shows_the_draft_note_but_nothing_public_does(live, people):
    edit(live, body=body(RIGHT), change_kind="correction", correction_note=NOTE)
    through_editorial(live, people)
    draft = fresh(live).get_latest_revision().as_object()

    response = reader().get(
        "/api/v1/preview/",
        {"content_type": "content_models.articlepage", "token": preview_token(draft)},
    )

    assert response.status_code == 200, response.content
    assert [c["note"] for c in response.json()["corrections"]] == [NOTE]
    assert "public" not in response.get("Cache-Control", "")
    assert served_log() == []
    assert served_detail(live.slug)["corrections"] == []
    assert not Correction.objects.exists()


def test_a_clinician_who_wrote_the_note_cannot_approve_it(live, people):
    clinician = people["clinician"]
    clinician.groups.add(Group.objects.get(name=WRITERS))
    draft = fresh(live).get_latest_revision_as_object()
    draft.body, draft.change_kind, draft.correction_note = body(RIGHT), "correction", FORGED
    draft.save_revision(user=clinician)

    refused = attempt(lambda: approve_all(live, people))

    assert "You wrote or submitted part of the change" in str(refused)
    assert FORGED not in json.dumps(served_log())
    assert FORGED not in json.dumps(served_detail(live.slug))
    assert not Correction.objects.exists()


# A second process ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_publishing_one_correction_record_it_once(index, people):
    if connection.vendor != "postgresql":
        pytest.skip("races are tested on PostgreSQL (run with DATABASE_URL=postgres://…)")
    from tests.factories import article_draft
    from tests.redteam.test_approval_attacks import _race

    article = article_draft(author=people["author"], medical_reviewer=people["reviewer"])
    edit(article, body=body(WRONG))
    approve_all(article, people)
    corrected(article, people)
    approved = fresh(article).live_revision
    fresh(article).unpublish()

    errors = _race(
        lambda: approved.publish(user=people["editor"]),
        lambda: approved.publish(user=people["editor"]),
    )

    assert not errors, errors
    assert Correction.objects.filter(page_id=article.pk).count() == 1
    assert [c["note"] for c in corrections_as_approved(article)] == [NOTE]
