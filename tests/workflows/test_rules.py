import datetime

from django.utils import timezone

from tests.factories import UserFactory, credentials_verified
from workflows import rules


def test_assigned_clinician_may_review(article, people):
    assert rules.can_medically_review(user=people["clinician"], article=article)


def test_other_clinician_is_refused_and_told_who_may(article, people):
    reason = rules.medical_review_refusal(user=people["other_clinician"], article=article)
    assert reason and people["reviewer"].name in reason


def test_superuser_is_not_a_way_around_clinical_review(article, people):
    assert not rules.can_medically_review(user=people["superuser"], article=article)


def test_editor_and_writer_may_not_review(article, people):
    assert not rules.can_medically_review(user=people["editor"], article=article)
    assert not rules.can_medically_review(user=people["writer"], article=article)


def test_inactive_clinician_may_not_review(article, people):
    people["clinician"].is_active = False
    people["clinician"].save()
    assert "inactive" in rules.medical_review_refusal(user=people["clinician"], article=article)


def test_clinician_removed_from_group_may_not_review(article, people):
    people["clinician"].groups.clear()
    reason = rules.medical_review_refusal(user=people["clinician"], article=article)
    assert "Clinicians" in reason


def test_lapsed_credentials_may_not_review(article, people):
    reviewer = people["reviewer"]
    credentials_verified(reviewer, timezone.localdate() - datetime.timedelta(days=1))
    reason = rules.medical_review_refusal(user=people["clinician"], article=article)
    assert "lapsed" in reason


def test_credentials_valid_through_their_last_day(article, people):
    reviewer = people["reviewer"]
    credentials_verified(reviewer, timezone.localdate())
    assert rules.can_medically_review(user=people["clinician"], article=article)


def test_clinician_may_not_review_their_own_article(article, people):
    article.author.user = people["clinician"]
    article.author.save()
    reason = rules.medical_review_refusal(user=people["clinician"], article=article)
    assert "You wrote this article" in reason


def test_article_without_reviewer_cannot_be_reviewed(article, people):
    article.medical_reviewer = None
    reason = rules.medical_review_refusal(user=people["clinician"], article=article)
    assert "No medical reviewer" in reason


def test_anonymous_may_not_review(article):
    from django.contrib.auth.models import AnonymousUser

    assert not rules.can_medically_review(user=AnonymousUser(), article=article)
    assert not rules.can_medically_review(user=None, article=article)


def test_user_who_is_not_the_reviewer_account_is_refused(article):
    stranger = UserFactory(groups=["Clinicians"])
    assert not rules.can_medically_review(user=stranger, article=article)
