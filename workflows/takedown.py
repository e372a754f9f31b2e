"""Taking a live article down: who may, and the one service every path calls.

Unpublishing only removes, so it is always allowed to those who may publish
(editors, administrators), at any moment, whatever lock the page holds: a
workflow locks an article while an edit of it is in review, and that lock
protects the draft, which a takedown leaves alone. The gate still sees the
save of the live row, as on every path, and its receivers tell webhooks
(``article.unpublished``) and drop the article from delivery.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PagePermissionTester

from . import audit
from .mail import mail_send

REASON_HELP = (
    "Say why the article is coming down: the history records it, and the writer and "
    "the medical reviewer receive it."
)


class TakeDownRefused(PermissionDenied):
    """A takedown that did not happen; the message says why and what to do instead."""


def takedown_refusal(*, user, article):
    """Why `user` may not take `article`'s live text down now, or None if they may.

    Wagtail's own rule without its lock check: the publish permission on the
    page (or an administrator account). Asked by the admin's unpublish view,
    its menus and bulk action (through `TakeDownPermissionTester`) and by
    `article_take_down`, so they cannot disagree.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return "Sign in as an editor to take an article down."
    if not article.live:
        return (
            f"\u201c{article.title}\u201d is not live, so there is nothing to take down. "
            "Its draft and any review stay as they are."
        )
    if not PagePermissionTester(user, article).can_publish():
        return (
            "Only editors can take an article down. If it must come down, ask an editor "
            "to unpublish it and say why. A medical reviewer who finds the live text "
            "unsafe while reviewing an edit can take it down from the review screen."
        )
    return None


class TakeDownPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, with unpublishing asked of `takedown_refusal`.

    Wagtail's ``can_unpublish()`` is False while the page is locked for the
    user, and a workflow locks an article for everyone while its medical step
    runs. Every admin surface that offers Unpublish (the view, the listing's
    row menu, bulk actions) asks ``can_unpublish()``, so answering it here
    opens them all; the edit view's action menu also hides Unpublish on a
    locked page, which `admin_takedown.LockedUnpublishMenuItem` puts back.
    """

    def can_unpublish(self):
        return takedown_refusal(user=self.user, article=self.page) is None


@transaction.atomic
def article_take_down(*, article, user, reason, unsafe=False):
    """Take `article`'s live text down now, in `user`'s name, because of `reason`.

    Only the live row changes: the latest draft revision and any workflow in
    progress stay exactly as they were (the review goes on; the article is live
    again only through a publish the gate allows). The history records who and
    why (``vetted.taken_down``), and the writer and the assigned clinician are
    told by mail. Raises `TakeDownRefused` when `reason` is empty or
    `takedown_refusal` refuses. Returns the article as it now is.

    ``unsafe=True`` is the medical reviewer rejecting an edit with the live
    text called unsafe (`MedicalReviewTask`, which has checked they may
    decide): not an editor's permission, so `takedown_refusal` is not asked,
    the history says ``vetted.taken_down_unsafe``, and the rejection's own
    mail tells the writer and the editors.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TakeDownRefused(REASON_HELP)
    # The row locked as the gate and the medical task lock it: a takedown racing a
    # publish or a decision waits for it, then sees what it left live.
    stored = type(article).objects.select_for_update().filter(pk=article.pk).first()
    if stored is None:
        raise TakeDownRefused("This article no longer exists, so there is nothing to take down.")
    if not unsafe:
        refusal = takedown_refusal(user=user, article=stored)
        if refusal is not None:
            raise TakeDownRefused(refusal)
    elif not stored.live:
        return stored
    UnpublishPageAction(stored, user=user, log_action=True).execute(skip_permission_checks=True)
    if unsafe:
        audit.unsafe_takedown_log(page=stored, user=user, reason=reason)
        return stored
    audit.takedown_log(page=stored, user=user, reason=reason)
    _told(article=stored, user=user, reason=reason)
    return stored


def _told(*, article, user, reason):
    """Mail the writer (owner, author of the latest draft, the author's account) and
    the assigned clinician; not the person who took it down."""
    latest = article.get_latest_revision()
    author = getattr(article, "author", None)
    reviewer = getattr(article, "medical_reviewer", None)
    people = {
        article.owner,
        getattr(latest, "user", None),
        getattr(author, "user", None),
        getattr(reviewer, "user", None),
    }
    mail_send(
        template="article_taken_down",
        recipients=[person for person in people if person is not None and person.pk != user.pk],
        context={
            "article": article,
            "taken_down_by": user,
            "reason": reason,
            "workflow_state": article.current_workflow_state,
        },
        preference="rejected_notifications",
    )
