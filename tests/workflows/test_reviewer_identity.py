"""Reviewer profiles are identities, not labels (finding 3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from content_models.models import CredentialVerification, MedicalReviewer
from content_models.models.people import ReviewerProfileRefused, reviewer_credentials_verify
from tests.factories import MedicalReviewerFactory, clinician, credentials_verified, editor
from tests.served import served_detail
from tests.workflows.flow import act, approve_all, fresh, through_editorial


def edit_url(reviewer):
    return reverse("wagtailsnippets_content_models_medicalreviewer:edit", args=[reviewer.pk])


def profile_form(reviewer, **changes):
    data = {
        "name": reviewer.name,
        "slug": reviewer.slug,
        "credentials": reviewer.credentials,
        "specialty": reviewer.specialty,
        "organization": reviewer.organization,
        "bio": reviewer.bio,
        "photo": "",
        "user": reviewer.user_id,
        "credentials_verified_until": reviewer.credentials_verified_until.isoformat(),
        "registry": "",
        "licence_number": "",
        "evidence_note": "",
    }
    return {**data, **changes}


def stored(reviewer):
    return MedicalReviewer.objects.get(pk=reviewer.pk)


def test_an_editor_cannot_point_a_profile_with_approvals_at_another_account(
    as_user, article, people
):
    approve_all(article, people)
    live = served_detail(fresh(article).slug)
    other = clinician(username="dr_other_account")
    reviewer = people["reviewer"]
    response = as_user(people["editor"]).post(
        edit_url(reviewer), profile_form(reviewer, user=other.pk)
    )
    assert response.status_code == 200
    assert "Create a new reviewer profile for the other account" in response.content.decode()
    assert stored(reviewer).user_id == people["clinician"].pk
    assert served_detail(fresh(article).slug) == live


def test_the_other_account_cannot_approve_under_the_first_reviewers_name(article, people):
    approve_all(article, people)
    reviewer = people["reviewer"]
    reviewer.user = clinician(username="dr_impostor")
    with pytest.raises(ReviewerProfileRefused):
        reviewer.save()
    draft = fresh(article).get_latest_revision_as_object()
    draft.summary = "A change for the impostor to approve."
    draft.save_revision()
    through_editorial(article, people)
    impostor = reviewer.user
    with pytest.raises(PermissionDenied, match="Only the assigned medical reviewer"):
        act(article, impostor, "approve")


def test_a_profile_without_approvals_may_change_account(as_user, people):
    reviewer = MedicalReviewerFactory()
    other = clinician(username="dr_new_account")
    response = as_user(people["editor"]).post(
        edit_url(reviewer), profile_form(reviewer, user=other.pk)
    )
    assert response.status_code == 302
    assert stored(reviewer).user_id == other.pk


def test_extending_verification_records_who_and_the_evidence(as_user, people):
    reviewer = people["reviewer"]
    until = timezone.localdate() + datetime.timedelta(days=3 * 365)
    client = as_user(people["editor"])
    response = client.post(
        edit_url(reviewer),
        profile_form(
            reviewer,
            credentials_verified_until=until.isoformat(),
            registry="General Medical Council",
            licence_number="7654321",
        ),
    )
    assert response.status_code == 302
    assert stored(reviewer).credentials_verified_until == until
    record = CredentialVerification.objects.get(reviewer=reviewer)
    assert record.verified_by == people["editor"]
    assert record.verified_until == until
    assert record.licence_number == "7654321"
    page = client.get(edit_url(reviewer)).content.decode()
    assert "Verification history" in page
    assert "General Medical Council 7654321" in page


def test_extending_verification_without_evidence_is_refused(as_user, people):
    reviewer = people["reviewer"]
    before = reviewer.credentials_verified_until
    until = timezone.localdate() + datetime.timedelta(days=10 * 365)
    response = as_user(people["editor"]).post(
        edit_url(reviewer), profile_form(reviewer, credentials_verified_until=until.isoformat())
    )
    assert response.status_code == 200
    assert "registry and licence number, or a note" in response.content.decode()
    assert stored(reviewer).credentials_verified_until == before
    assert not CredentialVerification.objects.exists()


def test_nobody_verifies_their_own_credentials(as_user, people):
    own = editor(username="editor_and_clinician")
    reviewer = MedicalReviewerFactory(user=own)
    before = reviewer.credentials_verified_until
    until = before + datetime.timedelta(days=365)
    response = as_user(own).post(
        edit_url(reviewer),
        profile_form(reviewer, credentials_verified_until=until.isoformat(), evidence_note="Me."),
    )
    assert response.status_code == 200
    assert "You cannot verify your own credentials" in response.content.decode()
    with pytest.raises(ReviewerProfileRefused, match="your own credentials"):
        reviewer_credentials_verify(
            reviewer=reviewer, verified_by=own, verified_until=until, note="Trust me."
        )
    assert stored(reviewer).credentials_verified_until == before


def test_the_orm_cannot_move_the_verification_date_without_a_record(people):
    reviewer = people["reviewer"]
    before = reviewer.credentials_verified_until
    reviewer.credentials_verified_until = before + datetime.timedelta(days=3650)
    with pytest.raises(ReviewerProfileRefused, match="who verified them"):
        reviewer.save()
    with pytest.raises(ReviewerProfileRefused):
        MedicalReviewer.objects.filter(pk=reviewer.pk).update(
            credentials_verified_until=before + datetime.timedelta(days=3650)
        )
    with pytest.raises(ValidationError, match="registry and licence number"):
        reviewer_credentials_verify(
            reviewer=stored(reviewer), verified_by=people["editor"], verified_until=before
        )
    assert stored(reviewer).credentials_verified_until == before


def test_the_service_records_each_verification_as_history(people):
    reviewer = people["reviewer"]
    first = credentials_verified(reviewer, timezone.localdate(), by=people["editor"])
    second = credentials_verified(
        reviewer, timezone.localdate() + datetime.timedelta(365), by=people["editor"]
    )
    assert list(reviewer.verifications.all()) == [second, first]
    assert stored(reviewer).credentials_verified_until == second.verified_until


def test_a_verification_reads_whose_credentials_they_are_from_the_stored_profile(people):
    reviewer = MedicalReviewerFactory()
    stale = MedicalReviewer.objects.get(pk=reviewer.pk)
    now_theirs = editor(username="now_the_reviewer")
    reviewer.user = now_theirs
    reviewer.save()  # no approvals yet: the account may change
    until = timezone.localdate() + datetime.timedelta(days=365)

    with pytest.raises(ReviewerProfileRefused, match="your own credentials"):
        reviewer_credentials_verify(
            reviewer=stale, verified_by=now_theirs, verified_until=until, note="Me."
        )
    # Recorded through the stale copy by someone else, without undoing the account change.
    credentials_verified(stale, until, by=people["editor"])
    assert stored(reviewer).user_id == now_theirs.pk
    assert stored(reviewer).credentials_verified_until == until
