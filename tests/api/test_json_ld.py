"""Provenance as schema.org structured data: who wrote it, who reviewed it, when."""

from django.utils import timezone

from tests.factories import AuthorFactory, MedicalReviewerFactory, TopicFactory, published_article


def test_json_ld_is_a_medical_web_page_with_author_reviewer_and_review_date(api):
    article = published_article(
        title="What is HER2?",
        slug="what-is-her2",
        summary="HER2 explained.",
        author=AuthorFactory(name="Dana Writer"),
        medical_reviewer=MedicalReviewerFactory(
            name="Sam Oncologist",
            credentials="M.D.",
            specialty="Oncology",
            organization="City Hospital",
        ),
        topics=[TopicFactory(name="HER2"), TopicFactory(name="Breast cancer")],
    )

    json_ld = api.get("/api/v1/articles/what-is-her2/").json()["json_ld"]

    assert json_ld == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": "What is HER2?",
        "description": "HER2 explained.",
        "url": "/articles/what-is-her2/",
        "datePublished": article.first_published_at.isoformat(),
        "dateModified": article.last_published_at.isoformat(),
        "author": {"@type": "Person", "name": "Dana Writer"},
        "reviewedBy": {
            "@type": "Person",
            "name": "Sam Oncologist",
            "honorificSuffix": "M.D.",
            "jobTitle": "Oncology",
            "affiliation": {"@type": "Organization", "name": "City Hospital"},
        },
        "lastReviewed": timezone.localdate(article.reviewed_at).isoformat(),
        "about": [{"@type": "Thing", "name": "Breast cancer"}, {"@type": "Thing", "name": "HER2"}],
    }


def test_a_reviewer_without_organization_has_no_affiliation(api):
    published_article(slug="x", medical_reviewer=MedicalReviewerFactory(organization=""))

    reviewed_by = api.get("/api/v1/articles/x/").json()["json_ld"]["reviewedBy"]

    assert "affiliation" not in reviewed_by
