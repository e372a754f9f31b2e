"""Authors and medical reviewers: bios and credentials, never accounts."""

import datetime

from content_models.models import MedicalReviewer, Specialty
from content_models.models.people import interests_declare
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    published_article,
)

from .helpers import image

SPEAKER_FEES = {
    "organization": "Halvorsen Therapeutics",
    "relation": "speaker_fees",
    "products": "",
    "started": datetime.date(2026, 1, 1),
    "ended": None,
}


def test_author_fields(api):
    author = AuthorFactory(name="Dana Writer", slug="dana", bio="Dana writes.")
    published_article(author=author)

    listed = api.get("/api/v1/authors/").json()["results"]
    detail = api.get("/api/v1/authors/dana/").json()

    assert listed == [detail]
    assert detail == {"name": "Dana Writer", "slug": "dana", "bio": "Dana writes.", "photo": None}


def test_reviewer_fields_never_include_the_account(api):
    reviewer = MedicalReviewerFactory(
        name="Sam Oncologist",
        slug="sam",
        credentials="M.D.",
        specialty="Oncology",
        organization="City Hospital",
        bio="Sam treats breast cancer.",
    )
    published_article(medical_reviewer=reviewer)

    response = api.get("/api/v1/reviewers/sam/")

    assert response.json() == {
        "name": "Sam Oncologist",
        "slug": "sam",
        "credentials": "M.D.",
        "specialty": "Oncology",
        "organization": "City Hospital",
        "bio": "Sam treats breast cancer.",
        "photo": None,
        "specialties": [],
        "interests_declared_at": response.json()["interests_declared_at"],
        "declared_interests": [],
    }
    body = response.content.decode()
    assert reviewer.user.email not in body
    assert reviewer.user.username not in body


def test_people_are_listed_by_name_once_each(api):
    zoe = AuthorFactory(name="Zoe Writer", slug="zoe")
    published_article(author=zoe)
    published_article(author=zoe)
    published_article(author=AuthorFactory(name="Abe Writer", slug="abe"))

    listed = api.get("/api/v1/authors/").json()

    assert listed["count"] == 2
    assert [author["slug"] for author in listed["results"]] == ["abe", "zoe"]


def test_photos_are_square_renditions(api):
    reviewer = MedicalReviewerFactory(slug="pictured", photo=image(size=(900, 600)))
    published_article(medical_reviewer=reviewer)

    photo = api.get("/api/v1/reviewers/pictured/").json()["photo"]

    assert (photo["width"], photo["height"]) == (400, 400)
    assert photo["alt"] == reviewer.name


def test_people_lists_do_not_query_per_person(api, django_assert_max_num_queries):
    specialty = Specialty.objects.create(name="Oncology", slug="oncology")
    for number in range(6):
        published_article(
            author=AuthorFactory(photo=image(title=f"a{number}")),
            medical_reviewer=MedicalReviewerFactory(photo=image(title=f"r{number}")),
        )
    for reviewer in MedicalReviewer.objects.all():
        reviewer.specialties.set([specialty])
        interests_declare(
            reviewer=reviewer,
            declared_by=reviewer.user,
            interests=[{**SPEAKER_FEES, "topics": [TopicFactory()]}],
        )
    # Count, page, photo renditions; for reviewers, their specialties, latest
    # declarations, the interests and the topics of those.
    for path, budget in (("/api/v1/authors/", 3), ("/api/v1/reviewers/", 7)):
        api.get(path)  # renders the renditions once
        with django_assert_max_num_queries(budget):
            results = api.get(path).json()["results"]
        assert len(results) == 6
    assert all(len(reviewer["declared_interests"]) == 1 for reviewer in results)


def test_unknown_person_is_a_json_404(api):
    response = api.get("/api/v1/reviewers/nobody/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing published has the slug “nobody”."}


def test_a_reviewer_shows_their_specialties_and_latest_declaration(api):
    reviewer = MedicalReviewerFactory(slug="sam")
    reviewer.specialties.set(
        [
            Specialty.objects.create(name="Oncology", slug="oncology"),
            Specialty.objects.create(name="Haematology", slug="haematology"),
        ]
    )
    her2 = TopicFactory(name="HER2", slug="her2")
    published_article(medical_reviewer=reviewer)
    interests_declare(
        reviewer=reviewer,
        declared_by=reviewer.user,
        interests=[{**SPEAKER_FEES, "organization": "An earlier company", "topics": [her2]}],
    )
    latest = interests_declare(
        reviewer=reviewer,
        declared_by=reviewer.user,
        interests=[
            {**SPEAKER_FEES, "topics": [her2], "products": "A HER2 antibody"},
            {
                **SPEAKER_FEES,
                "relation": "shares",
                "organization": "Northwind Diagnostics",
                "topics": [],
                "products": "Tumour tests",
                "ended": datetime.date(2026, 6, 30),
            },
        ],
    )

    shown = api.get("/api/v1/reviewers/sam/").json()

    assert [specialty["slug"] for specialty in shown["specialties"]] == [
        "haematology",
        "oncology",
    ]
    declared_at = datetime.datetime.fromisoformat(shown["interests_declared_at"])
    assert declared_at == latest.declared_at
    assert shown["declared_interests"] == [
        {
            "organization": "Halvorsen Therapeutics",
            "relation": "speaker_fees",
            "relation_label": "Speaker fees",
            "topics": [{"name": "HER2", "slug": "her2"}],
            "products": "A HER2 antibody",
            "started": "2026-01-01",
            "ended": None,
        },
        {
            "organization": "Northwind Diagnostics",
            "relation": "shares",
            "relation_label": "Shares or other financial holding",
            "topics": [],
            "products": "Tumour tests",
            "started": "2026-01-01",
            "ended": "2026-06-30",
        },
    ]
    assert "An earlier company" not in str(shown)
    listed = api.get("/api/v1/reviewers/").json()["results"]
    assert listed == [shown]


def test_a_reviewer_with_nothing_to_declare_says_so(api):
    reviewer = MedicalReviewerFactory(slug="sam")  # declared: nothing to declare
    published_article(medical_reviewer=reviewer)
    shown = api.get("/api/v1/reviewers/sam/").json()
    assert shown["declared_interests"] == []
    assert shown["interests_declared_at"] is not None


def test_a_new_declaration_reaches_readers_through_the_response_cache(
    client, shared_cache, django_capture_on_commit_callbacks
):
    reviewer = MedicalReviewerFactory(slug="sam")
    published_article(medical_reviewer=reviewer)
    for path in ("/api/v1/reviewers/sam/", "/api/v1/reviewers/"):
        assert "Halvorsen" not in client.get(path).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        interests_declare(
            reviewer=reviewer,
            declared_by=reviewer.user,
            interests=[{**SPEAKER_FEES, "topics": [TopicFactory()]}],
        )

    for path in ("/api/v1/reviewers/sam/", "/api/v1/reviewers/"):
        assert "Halvorsen" in client.get(path).content.decode()


def test_specialties_changed_reach_readers_through_the_response_cache(
    client, shared_cache, django_capture_on_commit_callbacks
):
    reviewer = MedicalReviewerFactory(slug="sam")
    topic = TopicFactory(slug="her2")
    published_article(medical_reviewer=reviewer, topics=[topic])
    paths = ("/api/v1/reviewers/sam/", "/api/v1/topics/her2/", "/api/v1/topics/")
    for path in paths:
        client.get(path)  # cached

    with django_capture_on_commit_callbacks(execute=True):
        specialty = Specialty.objects.create(name="Pathology", slug="pathology")
        reviewer.specialties.add(specialty)
        topic.specialties.add(specialty)
    for path in paths:
        assert "Pathology" in client.get(path).content.decode(), path

    with django_capture_on_commit_callbacks(execute=True):
        specialty.name = "Cellular pathology"
        specialty.save()
    for path in paths:
        assert "Cellular pathology" in client.get(path).content.decode(), path

    with django_capture_on_commit_callbacks(execute=True):
        specialty.delete()
    for path in paths:
        assert "pathology" not in client.get(path).content.decode(), path
