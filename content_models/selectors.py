"""Reads about articles for the admin and commands."""

from django.utils import timezone

from content_models.models import ArticlePage


def articles_overdue_for_review(*, today=None):
    """Live articles whose next review date has passed, most overdue first."""
    today = today or timezone.localdate()
    return (
        ArticlePage.objects.live()
        .filter(next_review_due__lt=today)
        .select_related("medical_reviewer", "author")
        .order_by("next_review_due", "pk")
    )
