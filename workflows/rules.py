"""Who may approve or reject the medical step: decided here and nowhere else.

The task (`MedicalReviewTask`), the admin views and any API ask these
functions. An article is known only through the attributes the rule needs:
``medical_reviewer`` (with ``user`` and ``credentials_verified_until``) and
``author`` (with ``user``).
"""

from django.utils import timezone

from .roles import CLINICIANS


def is_assigned_reviewer(*, user, article):
    """Whether `user` is the clinician assigned to `article` (whatever their standing)."""
    reviewer = getattr(article, "medical_reviewer", None)
    return bool(
        reviewer is not None and user is not None and user.pk and reviewer.user_id == user.pk
    )


def medical_review_refusal(*, user, article, today=None):
    """Why `user` may not approve or reject `article`'s medical step, or None if they may.

    The reason is written for the person refused: it says what to do instead.
    """
    reviewer = getattr(article, "medical_reviewer", None)
    if reviewer is None:
        return (
            "No medical reviewer is assigned to this article. "
            "An editor must assign one before it can be medically reviewed."
        )
    if user is None or not getattr(user, "is_authenticated", False):
        return "Sign in as the assigned medical reviewer to review this article."
    if reviewer.user_id != user.pk:
        return (
            f"Only the assigned medical reviewer, {reviewer.name}, can approve or reject "
            "the medical review of this article. Ask an editor to reassign it if needed."
        )
    if not user.is_active:
        return "Your account is inactive. Ask an administrator to reactivate it."
    if not user.groups.filter(name=CLINICIANS).exists():
        return (
            f"Your account is not in the {CLINICIANS} group. "
            "Ask an administrator to add it before reviewing."
        )
    today = today or timezone.localdate()
    if reviewer.credentials_verified_until < today:
        return (
            "Your credentials verification lapsed on "
            f"{reviewer.credentials_verified_until:%d %B %Y}. "
            "Ask an editor to record the renewed verification before approving."
        )
    author = getattr(article, "author", None)
    if author is not None and author.user_id is not None and author.user_id == user.pk:
        return (
            "You wrote this article, so you cannot review it. "
            "Ask an editor to assign another medical reviewer."
        )
    return None


def can_medically_review(*, user, article, today=None):
    return medical_review_refusal(user=user, article=article, today=today) is None
