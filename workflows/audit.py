"""The clinical workflow's entries in Wagtail's audit log: written here and nowhere else."""

from wagtail.log_actions import LogFormatter, log

PUBLISH_REFUSED = "vetted.publish_refused"
HELD_FOR_REVIEW = "vetted.held_for_review"
REVIEW_REFUSED = "vetted.review_refused"
# A live article whose content no approval covers (written around the gate) was
# taken out of delivery.
WITHDRAWN_UNCOVERED = "vetted.withdrawn_uncovered"
# Something an approved document shows changed elsewhere; readers keep the
# approved document and the article went to re-review.
SHOWN_CHANGED = "vetted.shown_changed"
# The clinician who asked for changes said the live text is unsafe: taken down.
TAKEN_DOWN_UNSAFE = "vetted.taken_down_unsafe"
# An editor took the live text down, saying why; the draft and its review stayed.
TAKEN_DOWN = "vetted.taken_down"

ACTIONS = (
    (PUBLISH_REFUSED, "Publish refused", "Publish refused by the clinical gate"),
    (HELD_FOR_REVIEW, "Held for review", "Created unpublished: needs its own medical review"),
    (REVIEW_REFUSED, "Review action refused", "Medical review action refused"),
    (
        WITHDRAWN_UNCOVERED,
        "Withdrawn: not approved",
        "Taken out of the API: its live content has no covering medical approval",
    ),
    (
        SHOWN_CHANGED,
        "Shown content changed",
        "Something the approved article shows changed elsewhere: sent to re-review",
    ),
    (
        TAKEN_DOWN_UNSAFE,
        "Taken down: unsafe",
        "Taken down at once: its medical reviewer said the live text is unsafe",
    ),
)


class TakenDownFormatter(LogFormatter):
    """The page history's line for `TAKEN_DOWN`: what happened and the reason given."""

    label = "Taken down"

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason", "")
        return f"Taken down (the draft and any review stay as they were): \u201c{reason}\u201d"


FORMATTERS = ((TAKEN_DOWN, TakenDownFormatter),)


def refusal_log(*, page, reason, user=None, action="publish", revision=None):
    """Write a refused publish, approval or rejection to the page's audit log."""
    if page.pk is None:
        return
    log(
        instance=page,
        action=REVIEW_REFUSED if action in ("approve", "reject") else PUBLISH_REFUSED,
        user=_user(user),
        data={"reason": reason, "attempted": action},
        revision=revision,
    )


def held_log(*, page):
    log(
        instance=page,
        action=HELD_FOR_REVIEW,
        data={
            "reason": "A new article, copy or alias starts unpublished "
            "and needs its own medical review."
        },
    )


def withdrawn_log(*, page, reason):
    log(instance=page, action=WITHDRAWN_UNCOVERED, data={"reason": reason})


def shown_changed_log(*, page, changes):
    log(instance=page, action=SHOWN_CHANGED, data={"changes": changes})


def unsafe_takedown_log(*, page, user, reason):
    log(instance=page, action=TAKEN_DOWN_UNSAFE, user=_user(user), data={"reason": reason})


def takedown_log(*, page, user, reason):
    log(instance=page, action=TAKEN_DOWN, user=_user(user), data={"reason": reason})


def _user(user):
    return user if getattr(user, "pk", None) else None
