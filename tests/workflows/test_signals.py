import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from content_models.models import ArticlePage
from reader.document import document_fingerprint
from tests.workflows.flow import approve_all, edit, fresh, through_editorial
from workflows.models import MedicalApproval
from workflows.signals import live_content_changed, review_overdue


@pytest.fixture
def received():
    events = []

    def receiver(sender, instance, signal, **kwargs):
        events.append((instance.pk, kwargs))

    live_content_changed.connect(receiver)
    review_overdue.connect(receiver)
    yield events
    live_content_changed.disconnect(receiver)
    review_overdue.disconnect(receiver)


def test_going_live_and_coming_down_are_signalled(article, people, received):
    approve_all(article, people)
    pk, going_live = received[-1]
    # With what the gate found for the row as written: the approval covering it, and
    # the document it compared, which is the approved one.
    approval = MedicalApproval.objects.get(page_id=article.pk)
    assert (pk, going_live["was_live"], going_live["is_live"]) == (article.pk, False, True)
    assert going_live["approval"] == approval
    assert document_fingerprint(going_live["rendered"]) == approval.fingerprint
    fresh(article).unpublish()
    assert received[-1] == (article.pk, {"was_live": True, "is_live": False})


def test_drafts_and_refusals_are_not_signalled(article, people, received):
    approve_all(article, people)
    received.clear()
    edit(article, summary="A draft.")
    through_editorial(article, people)
    with pytest.raises(PermissionDenied):
        fresh(article).get_latest_revision().publish()
    assert received == []


def test_a_failing_receiver_rolls_the_publish_back(article, people):
    def broken(**kwargs):
        raise RuntimeError("document store unavailable")

    live_content_changed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            approve_all(article, people)
    finally:
        live_content_changed.disconnect(broken)
    assert not fresh(article).live


def test_overdue_re_review_is_signalled(article, people, received):
    approve_all(article, people)
    ArticlePage.objects.filter(pk=article.pk).update(
        next_review_due=timezone.localdate() - timezone.timedelta(days=1)
    )
    received.clear()
    call_command("flag_overdue_reviews")
    assert received == [(article.pk, {})]
