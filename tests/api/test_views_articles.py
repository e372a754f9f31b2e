"""The article endpoints: every field of the contract, every list parameter, query counts."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests.factories import AuthorFactory, MedicalReviewerFactory, TopicFactory, published_article

from .helpers import DETAIL_FIELDS, SUMMARY_FIELDS, approved_at, image, live_row_backdate


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def is_aware_iso(value):
    moment = parse_datetime(value)
    return moment is not None and moment.tzinfo is not None


@pytest.fixture
def her2():
    return published_article(
        title="What is HER2?",
        slug="what-is-her2",
        summary="HER2 is a protein that can make breast cancer grow faster.",
        author=AuthorFactory(name="Dana Writer", slug="dana-writer", bio="Dana writes."),
        medical_reviewer=MedicalReviewerFactory(
            name="Sam Oncologist",
            slug="sam-oncologist",
            credentials="M.D.",
            specialty="Oncology",
            organization="City Hospital",
            bio="Sam treats breast cancer.",
        ),
        topics=[
            TopicFactory(name="HER2", slug="her2"),
            TopicFactory(name="Breast cancer", slug="breast-cancer"),
        ],
        key_takeaways=[
            {"type": "takeaway", "value": "HER2 is a protein."},
            {"type": "takeaway", "value": "Targeted drugs exist."},
        ],
    )


def test_summary_has_exactly_the_contract_fields(api, her2):
    (summary,) = api.get("/api/v1/articles/").json()["results"]

    assert set(summary) == SUMMARY_FIELDS
    assert summary["id"] == her2.pk
    assert summary["slug"] == "what-is-her2"
    assert summary["title"] == "What is HER2?"
    assert summary["summary"] == "HER2 is a protein that can make breast cancer grow faster."
    assert parse_datetime(summary["published_at"]) == her2.first_published_at
    assert parse_datetime(summary["updated_at"]) == her2.last_published_at
    assert parse_datetime(summary["reviewed_at"]) == her2.reviewed_at
    assert all(is_aware_iso(summary[name]) for name in ("published_at", "updated_at"))
    assert summary["author"] == {"name": "Dana Writer", "slug": "dana-writer"}
    assert summary["medical_reviewer"] == {
        "name": "Sam Oncologist",
        "slug": "sam-oncologist",
        "credentials": "M.D.",
    }
    assert summary["topics"] == [
        {"name": "Breast cancer", "slug": "breast-cancer"},
        {"name": "HER2", "slug": "her2"},
    ]


def test_detail_has_the_summary_fields_and_the_full_article(api, her2):
    article = api.get("/api/v1/articles/what-is-her2/").json()

    assert set(article) == DETAIL_FIELDS
    assert article["corrections"] == []
    assert article["key_takeaways"] == ["HER2 is a protein.", "Targeted drugs exist."]
    assert article["author"] == {
        "name": "Dana Writer",
        "slug": "dana-writer",
        "bio": "Dana writes.",
        "photo": None,
    }
    assert article["medical_reviewer"] == {
        "name": "Sam Oncologist",
        "slug": "sam-oncologist",
        "credentials": "M.D.",
        "specialty": "Oncology",
        "organization": "City Hospital",
        "bio": "Sam treats breast cancer.",
        "photo": None,
    }
    assert [(block["type"], block["value"]) for block in article["body"]] == [
        ("heading", "What it is"),
        ("paragraph", "<p>HER2 is a growth receptor found on breast cells.</p>"),
    ]
    assert all(set(block) == {"type", "value", "id"} and block["id"] for block in article["body"])


def test_detail_reports_the_medical_review(api, her2):
    review = api.get("/api/v1/articles/what-is-her2/").json()["medical_review"]

    assert review == {
        "reviewed_at": review["reviewed_at"],
        "next_review_due": her2.next_review_due.isoformat(),
        "status": "current",
    }
    assert parse_datetime(review["reviewed_at"]) == her2.reviewed_at
    assert is_aware_iso(review["reviewed_at"])


def test_an_article_past_its_review_date_is_overdue(api, her2, monkeypatch):
    # The day after the review falls due; nothing about the article was saved meanwhile.
    day_after = her2.next_review_due + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)

    review = api.get("/api/v1/articles/what-is-her2/").json()["medical_review"]

    assert review["status"] == "overdue"


def test_people_photos_are_renditions(api):
    author = AuthorFactory(slug="pictured", photo=image(title="Portrait"))
    published_article(slug="with-photo", author=author)

    photo = api.get("/api/v1/articles/with-photo/").json()["author"]["photo"]

    assert photo["width"] == 400 and photo["height"] == 400
    assert photo["url"].startswith("http") and photo["url"].endswith(".png")
    assert photo["alt"] == author.name


def test_unknown_slug_is_a_json_404(api):
    response = api.get("/api/v1/articles/no-such-article/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing published has the slug “no-such-article”."}


@pytest.fixture
def shelf():
    """Three articles with different topics, authors, reviewers, titles and dates."""
    now = timezone.now()
    articles = {}
    for days_ago, slug, title, topic in [
        (30, "alpha", "Beta blockers explained", "heart"),
        (20, "bravo", "Anemia and fatigue", "blood"),
        (10, "charlie", "Cholesterol basics", "heart"),
    ]:
        moment = now - datetime.timedelta(days=days_ago)
        # Reviewed most recently, though published first.
        reviewed = now if slug == "alpha" else moment
        page = approved_at(
            reviewed,
            slug=slug,
            title=title,
            author=AuthorFactory(slug=f"author-of-{slug}"),
            medical_reviewer=MedicalReviewerFactory(slug=f"reviewer-of-{slug}"),
            topics=[TopicFactory(name=topic.title(), slug=topic)],
        )
        live_row_backdate(page, first_published_at=moment, last_published_at=moment)
        articles[slug] = page
    return articles


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["charlie", "bravo", "alpha"]),
        ("-published_at", ["charlie", "bravo", "alpha"]),
        ("published_at", ["alpha", "bravo", "charlie"]),
        ("title", ["bravo", "alpha", "charlie"]),
        ("-title", ["charlie", "alpha", "bravo"]),
        ("-reviewed_at", ["alpha", "charlie", "bravo"]),
    ],
)
def test_ordering(api, shelf, ordering, expected):
    params = {"ordering": ordering} if ordering else {}

    assert slugs(api.get("/api/v1/articles/", params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "heart"}, ["charlie", "alpha"]),
        ({"topic": "blood"}, ["bravo"]),
        ({"author": "author-of-bravo"}, ["bravo"]),
        ({"reviewer": "reviewer-of-alpha"}, ["alpha"]),
        ({"topic": "heart", "author": "author-of-alpha"}, ["alpha"]),
        ({"topic": "blood", "author": "author-of-alpha"}, []),
        ({"topic": "heart", "ordering": "title"}, ["alpha", "charlie"]),
    ],
)
def test_filters(api, shelf, params, expected):
    response = api.get("/api/v1/articles/", params)

    assert slugs(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cholesterol", ["charlie"]),  # title
        ("Anemia", ["bravo"]),  # title, any case
        ("growth receptor", ["charlie", "bravo", "alpha"]),  # body
        ("protein", ["charlie", "bravo", "alpha"]),  # summary
        ("blood", ["bravo"]),  # topic name
        ("quetzalcoatl", []),
    ],
)
def test_search(api, shelf, text, expected):
    assert slugs(api.get("/api/v1/articles/", {"search": text})) == expected


def test_search_by_author_name(api, shelf):
    name = shelf["bravo"].author.name.split()[-1]

    assert "bravo" in slugs(api.get("/api/v1/articles/", {"search": name}))


def test_search_combines_with_filters_and_ordering(api, shelf):
    response = api.get(
        "/api/v1/articles/", {"search": "protein", "topic": "heart", "ordering": "published_at"}
    )

    assert slugs(response) == ["alpha", "charlie"]


def test_blank_search_is_no_search(api, shelf):
    assert api.get("/api/v1/articles/", {"search": "   "}).json()["count"] == 3


@pytest.fixture
def many_articles():
    topics = [TopicFactory(slug="common"), TopicFactory(slug="shared")]
    authors = [AuthorFactory(slug="writer-0"), AuthorFactory(slug="writer-1")]
    reviewers = [
        MedicalReviewerFactory(slug="clinician-0"),
        MedicalReviewerFactory(slug="clinician-1"),
    ]
    for number in range(24):
        published_article(
            slug=f"article-{number}",
            title=f"Article {number}",
            author=authors[number % 2],
            medical_reviewer=reviewers[number % 2],
            topics=topics,
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "title"},
        {"topic": "common"},
        {"search": "receptor", "author": "writer-1", "reviewer": "clinician-1"},
    ],
)
def test_list_query_count_does_not_grow_with_page_size(
    api, many_articles, django_assert_max_num_queries, params
):
    counts = []
    for page_size in (1, 100):
        # The page and its count, and the search backend's query when searching.
        with django_assert_max_num_queries(3) as queries:
            response = api.get("/api/v1/articles/", {**params, "page_size": page_size})
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.json()["results"]) > 1
    assert counts[0] == counts[1]


def test_detail_query_count_does_not_grow_with_the_body(api, django_assert_max_num_queries):
    targets = [published_article(slug=f"target-{number}") for number in range(3)]
    body = []
    for target in targets:
        body += [
            {"type": "paragraph", "value": f'<p><a linktype="page" id="{target.pk}">x</a></p>'},
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
            {"type": "image", "value": {"image": image().pk, "alt_text": "A", "caption": ""}},
        ]
    published_article(
        slug="rich",
        body=body,
        author=AuthorFactory(photo=image(title="Author")),
        medical_reviewer=MedicalReviewerFactory(photo=image(title="Reviewer")),
    )
    # One indexed read of the article's delivery document, however rich its body.
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/articles/rich/")

    assert len(response.json()["body"]) == 9


def test_an_empty_filtered_list_stays_within_three_queries(
    api, many_articles, django_assert_max_num_queries
):
    params = {"search": "quetzalcoatl", "topic": "common", "author": "writer-1"}
    for page_size in (1, 100):
        # The search, the count, and one query to tell "no match" from an unlisted slug.
        with django_assert_max_num_queries(3):
            response = api.get("/api/v1/articles/", {**params, "page_size": page_size})
        assert response.status_code == 200
        assert response.json()["count"] == 0
