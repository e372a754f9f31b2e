"""Authors and medical reviewers: bios and credentials, never accounts."""

from tests.factories import AuthorFactory, MedicalReviewerFactory, published_article

from .helpers import image


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
    for number in range(6):
        published_article(
            author=AuthorFactory(photo=image(title=f"a{number}")),
            medical_reviewer=MedicalReviewerFactory(photo=image(title=f"r{number}")),
        )
    for path in ("/api/v1/authors/", "/api/v1/reviewers/"):
        api.get(path)  # renders the renditions once
        with django_assert_max_num_queries(3):
            assert len(api.get(path).json()["results"]) == 6


def test_unknown_person_is_a_json_404(api):
    response = api.get("/api/v1/reviewers/nobody/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing published has the slug “nobody”."}
