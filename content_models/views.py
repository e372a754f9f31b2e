from django.http import JsonResponse
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


def reviewer_choices(request):
    """The article form's reviewer list for the topics ticked (``?topic=<id>``, repeated),
    so that the suggestions follow the topics before the article is saved."""
    from content_models.models import Topic
    from content_models.reviewer_choice import reviewer_choices_data

    ids = [value for value in request.GET.getlist("topic") if value.isascii() and value.isdigit()]
    topics = Topic.objects.filter(pk__in=ids[:100]).prefetch_related("specialties")
    return JsonResponse({"choices": reviewer_choices_data(topics)})
