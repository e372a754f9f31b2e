"""Declaring interests in the admin: the clinician's own, or an editor's record of it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.roles import roles_ensure
from content_models.models import DeclaredInterest, Specialty, Topic
from tests.factories import MedicalReviewerFactory, article_index, clinician, editor, writer
from workflows.roles import EDITORS
from workflows.services import medical_review_workflow_ensure


@pytest.fixture
def reviewer(db):
    page = article_index()
    roles_ensure(article_index=page)
    medical_review_workflow_ensure(page=page, editors_group=Group.objects.get(name=EDITORS))
    return MedicalReviewerFactory(user=clinician(username="dr_rao"), declared=False)


@pytest.fixture
def her2(db):
    return Topic.objects.create(name="HER2", slug="her2")


def management(total, initial=0):
    return {
        "interest-TOTAL_FORMS": str(total),
        "interest-INITIAL_FORMS": str(initial),
        "interest-MIN_NUM_FORMS": "0",
        "interest-MAX_NUM_FORMS": "1000",
    }


def an_interest(number, topic, **fields):
    values = {
        "organization": "Halvorsen Therapeutics",
        "relation": "consultancy",
        "topics": [topic.pk],
        "products": "",
        "started": "2026-11-01",
        "ended": "",
        **fields,
    }
    return {f"interest-{number}-{name}": value for name, value in values.items()}


def test_a_clinician_declares_their_own_interests_from_the_admin_menu(client, reviewer, her2):
    client.force_login(reviewer.user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "My declared interests" in dashboard
    assert reverse("declaration_history", args=[reviewer.pk]) in dashboard

    url = reverse("declare_interests", args=[reviewer.pk])
    response = client.post(url, {**management(1), **an_interest(0, her2)})

    assert response.status_code == 302
    interest = DeclaredInterest.objects.get(declaration__reviewer=reviewer)
    assert interest.organization == "Halvorsen Therapeutics"
    assert list(interest.topics.all()) == [her2]
    assert interest.declaration.declared_by == reviewer.user
    history = client.get(response["Location"]).content.decode()
    assert "Current declaration" in history and "Halvorsen Therapeutics" in history


def test_renewing_starts_from_the_latest_declaration(client, reviewer, her2):
    client.force_login(reviewer.user)
    url = reverse("declare_interests", args=[reviewer.pk])
    client.post(url, {**management(1), **an_interest(0, her2)})

    form = client.get(url).content.decode()
    assert 'value="Halvorsen Therapeutics"' in form
    # Renewed unchanged: the same interest, in a new declaration; the first is kept.
    response = client.post(url, {**management(2, initial=1), **an_interest(0, her2)})
    assert response.status_code == 302
    assert reviewer.declarations.count() == 2
    latest = reviewer.declarations.first()
    assert [i.organization for i in latest.interests.all()] == ["Halvorsen Therapeutics"]


def test_nothing_to_declare_is_a_declaration(client, reviewer):
    client.force_login(reviewer.user)
    response = client.post(reverse("declare_interests", args=[reviewer.pk]), management(1))
    assert response.status_code == 302
    assert reviewer.declarations.get().interests.count() == 0


def test_a_bad_interest_is_shown_with_what_to_do_and_records_nothing(client, reviewer, her2):
    client.force_login(reviewer.user)
    response = client.post(
        reverse("declare_interests", args=[reviewer.pk]),
        {**management(1), **an_interest(0, her2, topics=[], ended="2026-01-01")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot end before it starts" in page
    assert "Name the topics or the products" in page
    assert not reviewer.declarations.exists()


def test_an_editor_records_a_declaration_in_their_own_name(client, reviewer, her2):
    recorder = editor(username="eddie")
    client.force_login(recorder)
    response = client.post(
        reverse("declare_interests", args=[reviewer.pk]),
        {**management(1), **an_interest(0, her2)},
    )
    assert response.status_code == 302
    assert reviewer.declarations.get().declared_by == recorder


@pytest.mark.parametrize("who", ["writer", "other clinician"])
def test_nobody_else_may_declare_for_a_reviewer(client, reviewer, her2, who):
    other = (
        writer(username="wendy")
        if who == "writer"
        else MedicalReviewerFactory(user=clinician(username="dr_other")).user
    )
    client.force_login(other)
    response = client.post(
        reverse("declare_interests", args=[reviewer.pk]),
        {**management(1), **an_interest(0, her2)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("declaration_history", args=[reviewer.pk])
    told = client.get(response["Location"]).content.decode()
    assert "Only the clinician, or an editor recording their signed declaration" in told
    assert not reviewer.declarations.exists()


def test_editors_manage_the_list_of_specialties(client, reviewer):
    client.force_login(editor(username="eddie"))
    response = client.post(
        reverse("wagtailsnippets_content_models_specialty:add"),
        {"name": "Cardiology", "slug": "cardiology"},
    )
    assert response.status_code == 302
    assert Specialty.objects.filter(slug="cardiology").exists()


def test_the_reviewer_profile_shows_the_current_declaration(client, reviewer, her2):
    client.force_login(reviewer.user)
    client.post(
        reverse("declare_interests", args=[reviewer.pk]),
        {**management(1), **an_interest(0, her2)},
    )
    client.force_login(editor(username="eddie"))
    page = client.get(
        reverse("wagtailsnippets_content_models_medicalreviewer:edit", args=[reviewer.pk])
    ).content.decode()
    assert "Declared interests" in page
    assert "Halvorsen Therapeutics" in page
    assert reverse("declare_interests", args=[reviewer.pk]) in page
