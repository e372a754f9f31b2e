"""Who may approve or reject the medical step: decided here and nowhere else.

The task (`MedicalReviewTask`), the admin views and any API ask these
functions. An article is known only through the attributes the rule needs:
``medical_reviewer`` (with ``user`` and ``credentials_verified_until``),
``author`` (with ``user``) and ``reader_document()``.
"""

from django.db.models import Q
from django.utils import timezone

from reader.document import document_fingerprint

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


def stale_review_refusal(*, task_state):
    """Why approving `task_state` would approve something other than the latest text, or None.

    The latest revision may differ from the reviewed one only in what readers
    never get (the editor's bookkeeping, a re-save): then the reader documents
    are the same and the review stands.
    """
    revisions = task_state.revision.__class__.objects.filter(
        base_content_type_id=task_state.revision.base_content_type_id,
        object_id=task_state.revision.object_id,
    )
    latest = revisions.order_by("-created_at", "-id").first()
    if latest is None or latest.pk == task_state.revision_id:
        return None
    reviewed = task_state.revision.as_object()
    if document_fingerprint(latest.as_object().reader_document()) == document_fingerprint(
        reviewed.reader_document()
    ):
        return None
    return (
        "The article was edited after this review started, so this version is no "
        "longer the latest. Ask the editor to restart the workflow on the new version."
    )


def decided_refusal(*, task_state):
    """Why `task_state` can no longer be decided, or None while it is in progress."""
    if task_state.status != task_state.STATUS_IN_PROGRESS:
        return "This review has already been decided. Reload the page to see its status."
    return None


def review_overdue(next_review_due, *, today=None):
    """Whether a review due on `next_review_due` is overdue: the one overdue rule."""
    return next_review_due is not None and next_review_due < (today or timezone.localdate())


def review_overdue_filter(*, field="next_review_due", today=None):
    """`review_overdue` as a query condition on `field`."""
    return Q(**{f"{field}__lt": today or timezone.localdate()})
