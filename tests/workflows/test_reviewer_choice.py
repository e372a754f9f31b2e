"""Choosing the reviewer in the article form: suggested by specialty and load, a reason kept for
anyone else, and no lapsed reviewer newly chosen."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from content_models.models import Specialty
from content_models.models.people import interests_declare
from content_models.reviewer_choice import REVIEWER_OUTSIDE_SPECIALTIES
from tests.factories import MedicalReviewerFactory, TopicFactory, clinician, credentials_verified
from tests.workflows.admin_forms import article_form
from tests.workflows.flow import fresh, submit


@pytest.fixture
def specialties(db):
    return {
        slug: Specialty.objects.create(name=slug.title(), slug=slug)
        for slug in ("oncology", "pathology", "cardiology")
    }


@pytest.fixture
def her2(specialties):
    topic = TopicFactory(name="HER2", slug="her2")
    topic.specialties.set([specialties["oncology"], specialties["pathology"]])
    return topic


@pytest.fixture
def team(index, specialties):
    """Two oncologists (one with two articles in review) and a cardiologist."""

    def reviewer(name, specialty):
        profile = MedicalReviewerFactory(
            name=name, user=clinician(username=name.lower().replace(" ", "_"))
        )
        profile.specialties.set([specialties[specialty]])
        return profile

    return {
        "busy": reviewer("Busy Oncologist", "oncology"),
        "free": reviewer("Free Oncologist", "oncology"),
        "heart": reviewer("Heart Specialist", "cardiology"),
    }


def reviewer_select(client, article):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    return re.search(r'<select name="medical_reviewer".*?</select>', html, re.S).group(0)


def option_texts(html):
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<]+)</option>", html)]


def edit_form_options(client, article):
    groups = re.findall(
        r'<optgroup label="([^"]*)">(.*?)</optgroup>', reviewer_select(client, article), re.S
    )
    return {label: option_texts(body) for label, body in groups}


def test_reviewers_covering_the_topics_come_first_fewest_open_reviews_first(
    as_user, article, people, team, her2
):
    for number in range(2):
        other = fresh(article).copy(
            update_attrs={"slug": f"busy-{number}", "title": f"Busy {number}"}, keep_live=False
        )
        other.medical_reviewer = team["busy"]
        other.save_revision()
        submit(other, people["writer"])
    article.topics.set([her2])
    article.save_revision()

    options = edit_form_options(as_user(people["editor"]), article)

    suggested, others = options.values()
    assert [option.split(",")[0] for option in suggested] == [
        "Free Oncologist",
        "Busy Oncologist",
    ]
    assert "Oncology" in suggested[0] and "0 open reviews" in suggested[0]
    assert "2 open reviews" in suggested[1]
    assert any(option.startswith("Heart Specialist") for option in others)


def test_a_lapsed_reviewer_is_marked_and_cannot_be_newly_chosen(as_user, article, people, team):
    credentials_verified(team["free"], timezone.localdate() - datetime.timedelta(days=2))
    client = as_user(people["editor"])
    assert any("verification lapsed" in option for option in sum_options(client, article))

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title=article.title,
            summary="A teaser.",
            author=people["author"],
            reviewer=team["free"],
        ),
    )

    assert response.status_code == 200
    assert "verification lapsed on" in response.content.decode()
    assert fresh(article).get_latest_revision_as_object().medical_reviewer == people["reviewer"]


def sum_options(client, article):
    return option_texts(reviewer_select(client, article))


def test_a_reviewer_outside_the_topics_specialties_needs_a_reason_kept_in_the_history(
    as_user, article, people, team, her2
):
    client = as_user(people["editor"])
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = article_form(
        title=article.title,
        summary="A teaser.",
        author=people["author"],
        reviewer=team["heart"],
        topics=[her2.pk],
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "specialties do not cover this article" in page
    assert "Oncology, Pathology" in page
    # The form sent back suggests for the topics as posted, not as saved.
    suggested = re.search(r'<optgroup label="Suggested[^"]*">(.*?)</optgroup>', page, re.S)
    assert "Free Oncologist" in suggested.group(1)
    assert fresh(article).get_latest_revision_as_object().medical_reviewer == people["reviewer"]

    reason = "The article is about heart effects of HER2 treatment."
    saved = client.post(url, {**data, "reviewer_choice_reason": reason})

    assert saved.status_code == 302
    assert fresh(article).get_latest_revision_as_object().medical_reviewer == team["heart"]
    entry = PageLogEntry.objects.get(page_id=article.pk, action=REVIEWER_OUTSIDE_SPECIALTIES)
    assert entry.data["reason"] == reason and entry.user == people["editor"]
    history = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    assert reason in history.content.decode()


def test_a_covering_reviewer_needs_no_reason(as_user, article, people, team, her2):
    response = as_user(people["editor"]).post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title=article.title,
            summary="A teaser.",
            author=people["author"],
            reviewer=team["free"],
            topics=[her2.pk],
        ),
    )
    assert response.status_code == 302
    assert fresh(article).get_latest_revision_as_object().medical_reviewer == team["free"]
    assert not PageLogEntry.objects.filter(action=REVIEWER_OUTSIDE_SPECIALTIES).exists()


def test_a_reviewer_with_a_declared_interest_in_a_topic_is_not_suggested(
    as_user, article, people, team, her2
):
    interests_declare(
        reviewer=team["free"],
        declared_by=team["free"].user,
        interests=[
            {
                "organization": "Halvorsen",
                "relation": "consultancy",
                "topics": [her2],
                "products": "",
                "started": timezone.localdate(),
                "ended": None,
            }
        ],
    )
    article.topics.set([her2])
    article.save_revision()

    suggested, others = edit_form_options(as_user(people["editor"]), article).values()

    assert [option.split(",")[0] for option in suggested] == ["Busy Oncologist"]
    (free,) = [option for option in others if option.startswith("Free Oncologist")]
    assert "declared interest: Halvorsen" in free

    refused = as_user(people["editor"]).post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title=article.title,
            summary="A teaser.",
            author=people["author"],
            reviewer=team["free"],
            topics=[her2.pk],
        ),
    )
    assert refused.status_code == 200
    assert "has declared an interest (Halvorsen)" in refused.content.decode()
    assert fresh(article).get_latest_revision_as_object().medical_reviewer == people["reviewer"]


def test_the_list_follows_the_topics_ticked_before_saving(as_user, people, team, her2):
    """What the article form's script asks as the writer ticks topics."""
    client = as_user(people["writer"])
    url = reverse("reviewer_choices")

    untouched = client.get(url).json()["choices"]
    ticked = client.get(url, {"topic": [her2.pk, "not-a-number"]}).json()["choices"]

    assert untouched[0] == {"value": "", "label": "---------"}
    assert all("group" not in choice for choice in untouched)
    suggested, others = ticked[1], ticked[2]
    assert suggested["group"].startswith("Suggested for this article's topics")
    assert [option["label"].split(",")[0] for option in suggested["options"]] == [
        "Busy Oncologist",
        "Free Oncologist",
    ]
    assert {option["value"] for option in suggested["options"]} == {
        team["busy"].pk,
        team["free"].pk,
    }
    assert any(option["label"].startswith("Heart Specialist") for option in others["options"])


def test_the_list_is_for_the_admin_only(client, team, her2):
    response = client.get(reverse("reviewer_choices"), {"topic": her2.pk})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
