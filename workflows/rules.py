"""Who may approve or reject the medical step, and when an approval may put content live.

Decided here and nowhere else: the task (`MedicalReviewTask`), the gate, the
admin views and any API ask these functions, whatever the role wiring says. An
article is known only through the attributes the rules need:
``medical_reviewer`` (with ``user`` and ``credentials_verified_until``),
``author`` (with ``user``), ``reader_document()``, ``topics``, and Wagtail's own
``revisions`` and ``current_workflow_state`` of the page; and the reviewer's
declared interests (`content_models.models.InterestDeclaration`).
"""

import datetime

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from cms.options import vetted_option
from reader.document import document_fingerprint

from .corrections import corrections_after
from .records import MedicalApproval, MedicalRejection
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
    if user.is_superuser:
        return (
            "Administrator accounts never approve or reject a medical review, even when "
            "assigned and in Clinicians: administration is not a way around clinical "
            "review. The clinician signs in with their own account without administrator "
            "rights; ask an editor to assign the article to that clinician's profile."
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
    declared = declaration_refusal(reviewer=reviewer, today=today)
    if declared is not None:
        return declared
    conflict = interest_conflict(reviewer=reviewer, article=article, today=today)
    if conflict is not None:
        return (
            f"You declared {_interest_named(conflict)}, which concerns "
            f"{_topics_named(conflict, article)}, a topic of this article, so you cannot "
            "review it. Ask an editor to reassign the article to another medical reviewer."
        )
    if user.pk in change_contributor_ids(article) or authored_this_text(
        user=user, article=article
    ):
        return (
            "You wrote or submitted part of the change under review, so you cannot "
            "review it: a second clinician must read what you wrote. Ask an editor to "
            "assign another medical reviewer."
        )
    return None


def declaration_refusal(*, reviewer, today=None):
    """Why `reviewer` must declare their interests (again) before approving, or None.

    A reviewer declares before their first approval, and again once their latest
    declaration is older than ``INTEREST_DECLARATION_MAX_AGE_DAYS``.
    """
    latest = reviewer.declarations.order_by("-declared_at", "-pk").values("declared_at").first()
    where = "in the admin (My declared interests \u2192 Declare interests)"
    if latest is None:
        return (
            "You have not declared your interests yet. Declare them, or that you have "
            f"none, {where}, then approve."
        )
    today = today or timezone.localdate()
    max_age = datetime.timedelta(days=vetted_option("INTEREST_DECLARATION_MAX_AGE_DAYS"))
    declared_on = timezone.localtime(latest["declared_at"]).date()
    if declared_on + max_age < today:
        return (
            f"Your declaration of interests was made on {declared_on:%d %B %Y}, more than "
            f"{max_age.days} days ago. Renew it {where}, then approve."
        )
    return None


def interest_conflict(*, reviewer, article, today=None):
    """The interest in `reviewer`'s latest declaration, current `today`, that concerns one
    of `article`'s topics (a `DeclaredInterest`, with ``topics`` prefetched), or None."""
    conflicts = _conflicting_interests(reviewer=reviewer, article=article, today=today)
    return conflicts.prefetch_related("topics").order_by("started", "pk").first()


def interest_conflict_on_topics(*, reviewer, topics, today=None):
    """`interest_conflict` for an article on `topics` (as the reviewer list asks it)."""
    conflicts = _conflicting_interests(
        reviewer=reviewer, topic_ids=[topic.pk for topic in topics], today=today
    )
    return conflicts.order_by("started", "pk").first()


def _conflicting_interests(*, reviewer, article=None, topic_ids=None, today=None):
    # Imported here: the article model imports these rules.
    from content_models.models import DeclaredInterest

    if topic_ids is None:
        topic_ids = [topic.pk for topic in article.topics.all()]
    if not topic_ids or reviewer.pk is None:
        return DeclaredInterest.objects.none()
    latest = reviewer.declarations.order_by("-declared_at", "-pk").values("pk")[:1]
    today = today or timezone.localdate()
    return (
        DeclaredInterest.objects.filter(
            declaration__in=latest, topics__in=topic_ids, started__lte=today
        )
        .filter(Q(ended__isnull=True) | Q(ended__gte=today))
        .distinct()
    )


def _interest_named(interest):
    since = f" since {interest.started:%d %B %Y}"
    return f"{interest.get_relation_display().lower()} with {interest.organization}{since}"


def _topics_named(interest, article):
    shown = {topic.pk for topic in article.topics.all()}
    names = [topic.name for topic in interest.topics.all() if topic.pk in shown]
    return " and ".join(names)


def change_contributor_ids(article):
    """The accounts that shaped the change under review: whoever saved a revision of
    `article` since its last approval, and whoever submitted the workflow now running."""
    if article.pk is None:
        return set()
    last = MedicalApproval.objects.filter(page_id=article.pk).values("approved_at").first()
    revisions = article.revisions.exclude(user_id=None)
    if last is not None:
        revisions = revisions.filter(created_at__gt=last["approved_at"])
    ids = set(revisions.values_list("user_id", flat=True))
    workflow_state = article.current_workflow_state
    if workflow_state is not None and workflow_state.requested_by_id is not None:
        ids.add(workflow_state.requested_by_id)
    return ids


# How many of one account's revisions of an article are compared with the text under review.
REVISIONS_COMPARED = 50


def authored_this_text(*, user, article):
    """Whether `user` once saved a revision whose words `article` reads as now.

    Catches a change put back by someone else: a revert saved in an editor's
    name, with the reviewer reassigned, brings a clinician's own words back for
    them to approve. Who is credited (author, reviewer) is not part of the words.
    """
    revisions = article.revisions.filter(user_id=user.pk).order_by("-created_at")
    written = {
        _words_fingerprint(revision.as_object()) for revision in revisions[:REVISIONS_COMPARED]
    }
    return bool(written) and _words_fingerprint(article) in written


def _words_fingerprint(article):
    document = article.reader_document()
    return document_fingerprint({**document, "author": None, "medical_reviewer": None})


def approval_standing_refusal(*, approval, article, today=None, rejections=None):
    """Why `approval` may not put `article`'s content live today; None when in good standing.

    Asked whenever content goes live or what is live changes (a revert, a
    scheduled publish, a script): an approval counts then only while its
    reviewer could approve it now, its review is not overdue, no clinician
    has since asked for changes to the same content, and no correction of the
    article has gone live on a later approval (the text it approved was wrong).
    `rejections` are all of the article's rejections, when the caller has them.
    """
    reviewer = getattr(article, "medical_reviewer", None)
    if (
        reviewer is None
        or approval.reviewer_id != reviewer.user_id
        or approval.reviewer_profile_id != reviewer.pk
    ):
        return (
            "The approval of this version was given by a reviewer who is no longer "
            "assigned to the article. Submit it for review by its current reviewer."
        )
    if rejections is None:
        rejections = MedicalRejection.objects.filter(
            page_id=approval.page_id, rejected_at__gt=approval.approved_at
        )
    rejection = next(
        (rejection for rejection in rejections if rejection.supersedes(approval)), None
    )
    if rejection is not None:
        return (
            f"{rejection.reviewer_name} asked for changes to this text on "
            f"{timezone.localtime(rejection.rejected_at):%d %B %Y}: "
            f"\u201c{rejection.comment}\u201d. That supersedes its earlier approval, so it "
            "cannot go live again. Make the changes and submit the article for review."
        )
    user = approval.reviewer
    today = today or timezone.localdate()
    # One query for all three: whether the account is still a clinician's, whether its
    # reviewer has since declared an interest in one of the article's topics, and whether
    # a correction of the text it approved has gone live since.
    conflicts = _conflicting_interests(reviewer=reviewer, article=article, today=today)
    corrections = corrections_after(approval)
    standing = (
        type(user)
        .objects.filter(pk=user.pk)
        .annotate(
            clinician=Exists(Group.objects.filter(user=OuterRef("pk"), name=CLINICIANS)),
            conflicted=Value(False) if conflicts.query.is_empty() else Exists(conflicts),
            corrected=Exists(corrections),
        )
        .values("clinician", "conflicted", "corrected")
        .first()
    ) or {"clinician": False, "conflicted": False, "corrected": False}
    if user.is_superuser or not user.is_active or not standing["clinician"]:
        return (
            f"{reviewer.name} can no longer approve (the account is inactive, not in "
            f"{CLINICIANS}, or an administrator account), so their earlier approval cannot "
            "put this version live. Submit it for review by an eligible reviewer."
        )
    if reviewer.credentials_verified_until < today:
        return (
            f"{reviewer.name}'s credentials verification lapsed on "
            f"{reviewer.credentials_verified_until:%d %B %Y}, so their earlier approval "
            "cannot put this version live. Record the renewed verification, or submit it "
            "for review by another reviewer."
        )
    correction = standing["corrected"] and corrections.first()
    if correction:
        return (
            f"This text was corrected on {correction.date:%d %B %Y} "
            f"(“{correction.note}”), so its earlier approval cannot put it live "
            "again. Edit the article as it reads now and submit it for review."
        )
    conflict = standing["conflicted"] and interest_conflict(
        reviewer=reviewer, article=article, today=today
    )
    if conflict:
        return (
            f"{reviewer.name} has declared {_interest_named(conflict)}, which concerns "
            f"{_topics_named(conflict, article)}, a topic of this article, so their earlier "
            "approval cannot put this version live. Submit it for review by another reviewer."
        )
    if review_overdue(approval.next_review_due, today=today):
        return (
            f"The approval of this version was due for re-review on "
            f"{approval.next_review_due:%d %B %Y}, so it cannot put it live again. "
            "Submit the article for review."
        )
    return None


def workflow_start_refusal(*, article):
    """Why the review workflow may not start on `article` (as its latest revision is), or None."""
    if getattr(article, "medical_reviewer", None) is None:
        return (
            "This article has no medical reviewer, so nobody could approve it. "
            "Choose its medical reviewer, save, then submit it for review."
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
