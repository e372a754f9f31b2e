"""What one gated publish costs the database, whatever the size of the site."""

import pytest
from django.db import transaction

from content_models.models import ArticlePage
from tests.factories import (
    MedicalReviewerFactory,
    TopicFactory,
    approve_revision,
    article_draft,
    body,
    published_article,
)

# The most SQL queries `revision.publish()` of an approved article may run, with the
# deployed task backend (tasks are rows written in the publish's transaction): the
# scaling issue's target.
PUBLISH_QUERY_BUDGET = 60


def approved_draft(number, *, links_to):
    page = article_draft(
        slug=f"article-{number}",
        title=f"Article {number}",
        medical_reviewer=MedicalReviewerFactory(),
        topics=[TopicFactory() for _ in range(3)],
        body=[
            *body("A paragraph."),
            {"type": "read_more", "value": {"article": links_to.pk, "text": ""}},
        ],
    )
    approve_revision(page)
    return page.get_latest_revision()


@pytest.mark.parametrize("others", [1, 12])
def test_a_gated_publish_stays_within_its_query_budget(
    db, durable_tasks, django_assert_max_num_queries, others
):
    linked = [published_article(slug=f"linked-{number}") for number in range(others)]
    revision = approved_draft(0, links_to=linked[-1])

    with django_assert_max_num_queries(PUBLISH_QUERY_BUDGET), transaction.atomic():
        revision.publish()

    assert ArticlePage.objects.get(pk=revision.object_id).live


@pytest.mark.parametrize("others", [1, 12])
def test_a_correction_of_a_live_article_stays_within_the_same_budget(
    db, durable_tasks, django_assert_max_num_queries, others
):
    linked = [published_article(slug=f"linked-{number}") for number in range(others)]
    approved_draft(0, links_to=linked[-1]).publish()
    article = ArticlePage.objects.get(slug="article-0")
    article.body = [*body("A corrected paragraph."), *article.body.raw_data[2:]]
    article.save_revision()
    approve_revision(article)
    revision = article.get_latest_revision()

    with django_assert_max_num_queries(PUBLISH_QUERY_BUDGET), transaction.atomic():
        revision.publish()

    live = ArticlePage.objects.get(pk=article.pk)
    assert live.live_revision_id == revision.pk
    assert "A corrected paragraph." in str(live.body.raw_data)
