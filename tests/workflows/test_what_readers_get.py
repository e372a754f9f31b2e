"""What the clinician approves is exactly what readers get: each path found to break it.

Every check reads what readers are served (the API's JSON) and compares it with
the approval records' stored documents (`tests.served`), not through the gate.
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.images import ImageFile
from django.db import transaction
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.models import Page, PageLogEntry

from api.documents import document_write
from api.shared_changes import SharedChangeRefused
from content_models.models import ArticlePage, MedicalReviewer
from content_models.models.people import ReviewerProfileRefused
from tests.api.helpers import image
from tests.factories import approve_revision, clinician
from tests.served import served_as_approved, served_detail
from tests.workflows.admin_forms import article_form
from tests.workflows.flow import act, approve_all, edit, fresh, submit, through_editorial
from workflows.gate import PublishRefused
from workflows.models import MedicalApproval

DOSING = ' data-block-key="Take 40 mg every hour"'


@pytest.fixture
def live(article, people):
    approve_all(article, people)
    detail = served_as_approved(fresh(article))
    assert detail is not None
    return detail


def rewrite(article):
    """Whatever rewrites delivery documents next (a bio edit, `rewrite_delivery_documents`)."""
    document_write(ArticlePage.objects.get(pk=article.pk))


def served_or_withdrawn(article):
    page = fresh(article)
    served_as_approved(page)
    return served_detail(page.slug)


# 1. Text shaped like editor bookkeeping -------------------------------------------------


def test_advice_hidden_in_block_key_shape_needs_its_own_approval(article, people, live):
    revision = edit(article, body=[{"type": "heading", "value": f"What it is{DOSING}"}])

    with pytest.raises(PublishRefused):
        revision.publish(user=people["editor"])

    served = served_or_withdrawn(article)
    assert "40 mg" not in str(served)
    assert served["body"] == live["body"]


def test_the_editor_is_not_offered_publish_for_hidden_advice(as_editor, article, people, live):
    edit(article, key_takeaways=[{"type": "takeaway", "value": f"Rest{DOSING}"}])
    html = as_editor.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' not in html


# 2. Things readers see that an approval must bind ----------------------------------------


def png(colour):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=f"{colour}.png")


@pytest.fixture
def illustrated(article, people):
    picture = image(title="Scan")
    edit(
        article,
        body=[{"type": "image", "value": {"image": picture.pk, "alt_text": "A", "caption": ""}}],
    )
    approve_all(article, people)
    return picture


def test_replacing_the_file_of_an_image_a_live_article_shows_is_refused(article, illustrated):
    before = served_or_withdrawn(article)["body"][0]["value"]
    picture = type(illustrated).objects.get(pk=illustrated.pk)
    picture.file = png("red")
    picture._set_image_file_metadata()

    with pytest.raises(SharedChangeRefused, match="Upload the new picture as a new image"):
        picture.save()

    rewrite(article)
    assert served_or_withdrawn(article)["body"][0]["value"] == before


def test_the_admin_refuses_a_new_file_for_a_shown_image_and_says_what_to_do(
    as_editor, article, illustrated
):
    url = reverse("wagtailimages:edit", args=[illustrated.pk])
    response = as_editor.post(url, {"title": "Scan", "file": png("blue"), "tags": ""})
    assert response.status_code == 200
    assert "Upload the new picture as a new image" in response.content.decode()
    stored = type(illustrated).objects.get(pk=illustrated.pk)
    assert stored.file.name == illustrated.file.name


def test_the_file_of_an_image_no_live_article_shows_may_be_replaced(article):
    picture = image(title="Unused")
    picture.file = png("green")
    picture._set_image_file_metadata()
    picture.save()
    assert type(picture).objects.get(pk=picture.pk).file_hash == picture.file_hash


def test_readers_are_told_who_reviewed_it_from_the_approval(article, people, live):
    reviewer = people["reviewer"]
    approved_name = reviewer.name
    reviewer.name = "Someone Else"
    reviewer.credentials = "Ph.D."
    reviewer.save()

    served = served_or_withdrawn(article)
    assert served["medical_reviewer"]["name"] == approved_name
    assert served["medical_reviewer"]["credentials"] == "M.D."
    assert served["json_ld"]["reviewedBy"]["name"] == approved_name
    assert PageLogEntry.objects.filter(page=article, action="vetted.shown_changed").exists()


def test_a_reviewer_profile_with_approvals_keeps_its_account(article, people, live):
    reviewer = people["reviewer"]
    reviewer.user = clinician(username="dr_new")
    with pytest.raises(ReviewerProfileRefused, match="Create a new reviewer profile"):
        reviewer.save()
    with pytest.raises(ReviewerProfileRefused):
        MedicalReviewer.objects.filter(pk=reviewer.pk).update(user=reviewer.user)

    # The approval's reviewer is still the profile's account: the article stays
    # served, under the name that approved it.
    assert MedicalReviewer.objects.get(pk=reviewer.pk).user_id == people["clinician"].pk
    assert served_detail(live["slug"]) == live


def test_a_new_slug_is_a_change_that_needs_approval(article, people, live):
    revision = edit(article, slug="her2-explained")
    with pytest.raises(PublishRefused):
        revision.publish(user=people["editor"])
    assert served_detail("her2-explained") is None
    assert served_detail(live["slug"])["title"] == live["title"]


def test_seo_fields_are_served_and_bound(article, people, live):
    revision = edit(article, seo_title="HER2 explained", search_description="About HER2")
    with pytest.raises(PublishRefused):
        revision.publish(user=people["editor"])
    approve_revision(fresh(article), revision=revision)
    revision.publish(user=people["editor"])
    served = served_or_withdrawn(article)
    assert (served["seo_title"], served["search_description"]) == ("HER2 explained", "About HER2")


# 4. Writes around the gate -----------------------------------------------------------------


def test_a_base_page_save_of_a_live_article_is_refused(article, live):
    base = Page.objects.get(pk=article.pk)
    base.title = "Retitled through a plain Page"
    with pytest.raises(PermissionDenied, match="plain Page"):
        base.save()
    assert served_or_withdrawn(article)["title"] == live["title"]
    assert ArticlePage.objects.get(pk=article.pk).title == live["title"]


def test_taking_an_article_down_through_a_base_page_reaches_readers(article, live):
    base = Page.objects.get(pk=article.pk)
    base.live = False
    base.save()
    assert served_detail(live["slug"]) is None


def test_a_queryset_update_of_live_text_is_never_served(article, live):
    ArticlePage.objects.filter(pk=article.pk).update(summary="Stop your medication.")
    assert served_or_withdrawn(article)["summary"] == live["summary"]

    rewrite(article)

    assert served_detail(live["slug"]) is None
    assert PageLogEntry.objects.filter(page=article, action="vetted.withdrawn_uncovered").exists()


def test_review_metadata_is_written_only_from_the_approval(article, people, live):
    page = fresh(article)
    page.reviewed_by = people["other_clinician"].medical_reviewer_profile
    page.next_review_due = datetime.date(2099, 1, 1)
    with pytest.raises(PublishRefused, match="written only by the workflow"):
        page.save(update_fields=["reviewed_by", "next_review_due"])

    # Around the gate the row may say anything; readers still get the approval's record.
    ArticlePage.objects.filter(pk=article.pk).update(next_review_due=datetime.date(2099, 1, 1))
    rewrite(article)
    approval = MedicalApproval.objects.get(page_id=article.pk)
    served = served_or_withdrawn(article)
    assert served["medical_review"]["next_review_due"] == approval.next_review_due.isoformat()
    assert served["medical_reviewer"]["name"] == approval.reviewer_name


def test_a_document_written_from_a_stale_instance_serves_the_committed_row(article, people, live):
    stale = fresh(article)
    revision = edit(article, summary="The newly approved summary.")
    approve_revision(fresh(article), revision=revision)
    revision.publish(user=people["editor"])

    document_write(stale)

    assert served_or_withdrawn(article)["summary"] == "The newly approved summary."


# 5. An approval given from the edit page is not undone by the editor's bookkeeping ------


def test_approving_from_the_edit_page_does_not_loop(as_user, article, people):
    submit(article, people["writer"])
    revisions = fresh(article).revisions.count()
    form = article_form(
        title=article.title,
        summary=article.summary,
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    as_user(people["editor"]).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), form)

    page = fresh(article)
    assert page.revisions.count() == revisions  # only the editor's bookkeeping differed
    assert page.current_workflow_task.name == "Medical review"
    act(article, people["clinician"], "approve")
    assert served_as_approved(fresh(article)) is not None


def test_a_real_edit_from_the_edit_page_is_still_a_new_revision(as_user, article, people):
    submit(article, people["writer"])
    revisions = fresh(article).revisions.count()
    form = article_form(
        title=article.title,
        summary="A different summary.",
        author=people["author"],
        reviewer=people["reviewer"],
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    as_user(people["editor"]).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), form)
    assert fresh(article).revisions.count() == revisions + 1


def test_a_revision_differing_only_in_bookkeeping_does_not_make_a_review_stale(article, people):
    state = through_editorial(article, people)
    draft = fresh(article).get_latest_revision_as_object()
    draft.body = [
        {**block, "value": block["value"].replace("<p>", '<p data-block-key="k1">')}
        if block["type"] == "paragraph"
        else block
        for block in draft.body.raw_data
    ]
    draft.save_revision()
    act(article, people["clinician"], "approve")
    # Not refused as stale: the reader documents of the two revisions are the same.
    assert MedicalApproval.objects.get(page_id=article.pk).revision_id == state.revision_id
    assert not PageLogEntry.objects.filter(page=article, action="vetted.review_refused").exists()


@pytest.fixture
def as_editor(client, people):
    client.force_login(people["editor"])
    return client


def test_refusals_leave_the_transaction_usable(article, live):
    with pytest.raises(PermissionDenied), transaction.atomic():
        base = Page.objects.get(pk=article.pk)
        base.slug = "elsewhere"
        base.save()
    assert served_or_withdrawn(article)["slug"] == live["slug"]


def test_a_base_page_save_that_also_rewrites_the_content_type_is_refused(article, live):
    from django.contrib.contenttypes.models import ContentType

    base = Page.objects.get(pk=article.pk)
    base.content_type = ContentType.objects.get_for_model(Page)
    base.title = "No longer an article, supposedly"
    with pytest.raises(PermissionDenied, match="plain Page"):
        base.save()
    assert Page.objects.get(pk=article.pk).title == live["title"]
