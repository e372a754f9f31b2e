import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from content_models.models import ArticlePage
from tests.workflows.flow import act, approve_all, fresh
from workflows.models import MedicalApproval


def make_overdue(page, days=10):
    ArticlePage.objects.filter(pk=page.pk).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=days)
    )


def test_flag_overdue_reviews_starts_review_and_tells_the_reviewer(article, people, on_commit):
    approve_all(article, people)
    make_overdue(article)
    mail.outbox.clear()
    with on_commit(execute=True):
        call_command("flag_overdue_reviews")
    page = fresh(article)
    assert page.workflow_in_progress
    assert page.live  # the approved text stays online meanwhile
    assert [m.to for m in mail.outbox if "Re-review due" in m.subject] == [
        [people["clinician"].email]
    ]


def test_flag_overdue_reviews_is_safe_to_run_daily(article, people):
    approve_all(article, people)
    make_overdue(article)
    call_command("flag_overdue_reviews")
    state = fresh(article).current_workflow_state
    call_command("flag_overdue_reviews")
    assert fresh(article).current_workflow_state == state


def test_articles_not_yet_due_are_left_alone(article, people):
    approve_all(article, people)
    call_command("flag_overdue_reviews")
    assert not fresh(article).workflow_in_progress


def test_re_review_of_unchanged_text_renews_the_due_date(article, people):
    approve_all(article, people)
    make_overdue(article, days=30)
    call_command("flag_overdue_reviews")
    act(article, people["editor"], "approve")
    act(article, people["clinician"], "approve", comment="Evidence re-checked.")
    page = fresh(article)
    assert MedicalApproval.objects.filter(page_id=page.pk).count() == 2
    assert page.next_review_due == timezone.localdate() + datetime.timedelta(days=365)
    assert not page.review_overdue
