from django.core.management.base import BaseCommand

from content_models.selectors import articles_overdue_for_review
from workflows.services import rereview_start


class Command(BaseCommand):
    help = (
        "Start the review workflow for every live article past its re-review date and "
        "tell its medical reviewer. Articles already in review are left alone, so it is "
        "safe to run daily."
    )

    def handle(self, *args, **options):
        started = skipped = 0
        for article in articles_overdue_for_review():
            if rereview_start(article=article) is None:
                skipped += 1
            else:
                started += 1
                self.stdout.write(
                    f"Re-review started: {article.title} (due {article.next_review_due})"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{started} re-review(s) started; {skipped} already in review or without workflow."
            )
        )
