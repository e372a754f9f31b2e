from content_models.models import Specialty
from tests.factories import TopicFactory, published_article


def test_topics_with_slugs_and_counts_of_public_articles(api):
    her2 = TopicFactory(name="HER2", slug="her2", description="A growth receptor.")
    her2.specialties.set([Specialty.objects.create(name="Pathology", slug="pathology")])
    breast = TopicFactory(name="Breast cancer", slug="breast-cancer")
    TopicFactory(name="Unused", slug="unused")
    published_article(topics=[her2, breast])
    published_article(topics=[her2])

    response = api.get("/api/v1/topics/")

    assert response.json()["results"] == [
        {
            "name": "Breast cancer",
            "slug": "breast-cancer",
            "description": "",
            "article_count": 1,
            "specialties": [],
        },
        {
            "name": "HER2",
            "slug": "her2",
            "description": "A growth receptor.",
            "article_count": 2,
            "specialties": [{"name": "Pathology", "slug": "pathology"}],
        },
    ]
    assert api.get("/api/v1/topics/her2/").json()["article_count"] == 2
    assert api.get("/api/v1/topics/unused/").status_code == 404


def test_topic_list_query_count_does_not_grow(api, django_assert_max_num_queries):
    for _ in range(8):
        published_article(topics=[TopicFactory(), TopicFactory()])

    # Count, page, and the specialties of the page's topics.
    with django_assert_max_num_queries(3):
        assert len(api.get("/api/v1/topics/").json()["results"]) == 16
