from django.template.response import TemplateResponse
from django.utils import timezone

from content_models.selectors import articles_overdue_for_review


def overdue_reviews_report(request):
    """Admin report: live articles past their re-review date."""
    today = timezone.localdate()
    articles = [
        {"page": page, "days_overdue": (today - page.next_review_due).days}
        for page in articles_overdue_for_review(today=today)
    ]
    return TemplateResponse(
        request, "content_models/overdue_reviews.html", {"articles": articles, "today": today}
    )
