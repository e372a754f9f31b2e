"""Reads about articles for the admin and commands."""

from content_models.models import ArticlePage
from workflows.rules import review_overdue_filter


def articles_overdue_for_review(*, today=None):
    """Live articles whose next review date has passed, most overdue first."""
    return (
        ArticlePage.objects.live()
        .filter(review_overdue_filter(today=today))
        .select_related("medical_reviewer", "author")
        .order_by("next_review_due", "pk")
    )
