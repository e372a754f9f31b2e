"""The publishing gate: every live article shows a document its assigned reviewer approved.

The gate sits where every publish path ends: `ClinicalGateMixin.save()`
writes the live row, so whatever path makes content live (the admin, bulk
actions, scheduled publishing, revert, copy, aliases, `revision.publish()`,
`page.save()`, a workflow finishing) crosses it. A save of the same row through
a base `Page` instance is checked too (`base_page_save_check`). `publish()`
runs Wagtail's publish in one transaction, so a refusal in `save()` leaves
nothing touched, and logs it with who asked and which revision once that
transaction is rolled back; a publish scheduled for later writes no live row
yet, so it is asked first. The admin's hooks ask earlier still, to offer only
what will succeed.

What is compared is the reader document (`reader.document`) the page renders,
which the gate asks the page for (``reader_document()``), never raw fields.
"""

import contextlib
import contextvars

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, WorkflowState

from reader.document import document_fingerprint

from . import audit, rules
from .records import MedicalApproval, MedicalRejection
from .signals import live_content_changed
from .takedown import TakeDownPermissionTester

# How many of an article's newest approvals are read at once, and rendered again
# from their own snapshots when its document no longer matches any of them as
# rendered today.
APPROVALS_RECHECKED = 50


class PublishRefused(PermissionDenied):
    """A publish the clinical gate refused; the message names the reason."""


def covering_approval(page, *, rendered=None, rejections=None):
    """The newest approval by `page`'s assigned reviewer of exactly the document it shows, or None.

    An approval covers `page` when the page renders into the approved document:
    as things are today, or from the approval's own sources snapshot. The second
    is how an article stays covered when something it shows changed elsewhere
    since (a linked article's title, a topic's name, the reviewer's profile):
    its own content is unchanged, and readers are served that approved document.
    `rendered` is the page's document as it renders today, and `rejections` all of
    the page's rejections, when the caller has them.
    """
    reviewer = getattr(page, "medical_reviewer", None)
    if page.pk is None or reviewer is None:
        return None
    approvals = (
        MedicalApproval.objects.covering(
            page_id=page.pk, reviewer_user_id=reviewer.user_id, reviewer_profile_id=reviewer.pk
        )
        .defer("document")
        .select_related("reviewer")
    )
    if rejections is None:
        rejections = MedicalRejection.objects.filter(page_id=page.pk, live_unsafe=True)
    # Text a clinician took down as unsafe is covered by nothing, on any path.
    unsafe = [rejection for rejection in rejections if rejection.live_unsafe]

    def usable(approval):
        return not any(rejection.supersedes(approval) for rejection in unsafe)

    rendered = page.reader_document() if rendered is None else rendered
    fingerprint = document_fingerprint(rendered)
    recent = list(approvals[:APPROVALS_RECHECKED])
    matching = [approval for approval in recent if approval.fingerprint == fingerprint]
    if not matching and len(recent) == APPROVALS_RECHECKED:
        matching = approvals.filter(fingerprint=fingerprint)
    match = next(filter(usable, matching[:10]), None)
    # A newer approval may cover the same content through its own snapshot (approved
    # while a link it shows was public, say): the newest approval is the one served.
    for approval in recent:
        if match is not None and approval.approved_at <= match.approved_at:
            break
        if (
            approval.sources is not None
            and usable(approval)
            and document_fingerprint(page.reader_document(approval.sources))
            == approval.fingerprint
        ):
            return approval
    return match


_LOOK_UP = object()


def publish_refusal(page):
    """Why `page`'s content may not go live, or None when its assigned reviewer approved it.

    Content that is already live needs only its covering approval; content that
    would newly go live (a publish, a revert, a schedule) needs that approval in
    good standing today (`rules.approval_standing_refusal`).
    """
    return _publish_check(page)[1]


def _publish_check(page, *, live_fingerprint=_LOOK_UP):
    """`(covering approval, refusal, rendered)` of `page` going live: see
    `publish_refusal`; `rendered` is the reader document the check compared.

    `live_fingerprint` is the fingerprint of the document live now (None when
    the article is not live); looked up when not given.
    """
    if getattr(page, "medical_reviewer", None) is None:
        return (
            None,
            (
                "This article has no medical reviewer, so it cannot go live. "
                "Assign one and submit the article for review."
            ),
            None,
        )
    rendered = page.reader_document()
    # The page's rejections, newest first, read once for every question below.
    rejections = list(MedicalRejection.objects.filter(page_id=page.pk))
    approval = covering_approval(page, rendered=rendered, rejections=rejections)
    if approval is None:
        fingerprint = document_fingerprint(rendered)
        unsafe = next(
            (
                rejection
                for rejection in rejections
                if rejection.live_unsafe and rejection.fingerprint == fingerprint
            ),
            None,
        )
        if unsafe is not None:
            return (
                None,
                (
                    f"{unsafe.reviewer_name} took this text down as unsafe: "
                    f"\u201c{unsafe.comment}\u201d. It cannot go live again on an earlier "
                    "approval. Make the changes and "
                    "submit the article for review."
                ),
                rendered,
            )
        return (
            None,
            (
                "This version has not been approved by the article's medical reviewer, "
                "so it cannot go live. Submit it for review; it is published when the "
                "reviewer approves it."
            ),
            rendered,
        )
    if live_fingerprint is _LOOK_UP:
        live = type(page).objects.filter(pk=page.pk, live=True).first() if page.pk else None
        live_fingerprint = document_fingerprint(live.reader_document()) if live else None
    if live_fingerprint == document_fingerprint(rendered):
        return approval, None, rendered
    refusal = rules.approval_standing_refusal(
        approval=approval, article=page, rejections=rejections
    )
    return approval, refusal, rendered


def refuse(*, page, reason, user=None, revision=None):
    audit.refusal_log(page=page, reason=reason, user=user, revision=revision)
    raise PublishRefused(reason)


NEW_LIVE_REFUSAL = (
    "A new article cannot be created live: it goes live only when its medical reviewer "
    "approves it. Create it as a draft (live=False), submit it for review, and it is "
    "published on approval."
)

# Set while `publish()` runs Wagtail's publish, to the rows it locked first
# (``{pk: row}``, each taken by the `save()` of that row): a refusal in `save()` is
# logged by `publish()`, with its user and revision, after the publish's
# transaction is undone.
_publishing = contextvars.ContextVar("vetted_gate_publishing", default=None)


def _stored_lock(model, pk):
    """The stored row `pk` of `model`, locked until the transaction ends (or None).

    The people it shows come with it; only the article's own rows are locked.
    """
    locked = _publishing.get()
    if locked is not None and pk in locked:
        return locked.pop(pk)
    return (
        model.objects.select_for_update(of=("self", "page_ptr"))
        .select_related("author", "medical_reviewer")
        .filter(pk=pk)
        .first()
    )


# Set while Wagtail copies pages: a copy made with "keep live" is held as a draft
# (and the person copying is told) instead of refused.
_copying = contextvars.ContextVar("vetted_gate_copying", default=False)


@contextlib.contextmanager
def copying():
    """Pages created inside this block are copies: held unpublished, not refused."""
    token = _copying.set(True)
    try:
        yield
    finally:
        _copying.reset(token)


METADATA_REFUSAL = (
    "The medical review dates and reviewer are written only by the workflow, from the "
    "approval of the live text. Submit the article for review to change them."
)


# Unique fields Wagtail's validation looks up again on every save of a page.
_UNIQUE_STORED = ("path", "translation_key")


def _references(row):
    """``{attname: value}`` of the foreign keys `row` holds, and of its `_UNIQUE_STORED`
    fields (empty for no row)."""
    if row is None:
        return {}
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.many_to_one or field.attname in _UNIQUE_STORED
    }


def _people_share(page, stored):
    """Give `page` the people of the `stored` row that it names too, as read under the lock."""
    if stored is None:
        return
    for name in ("author", "medical_reviewer"):
        field = page._meta.get_field(name)
        if (
            field.is_cached(stored)
            and not field.is_cached(page)
            and getattr(page, field.attname) == getattr(stored, field.attname)
        ):
            field.set_cached_value(page, field.get_cached_value(stored))


def _names(update_fields):
    return {name.removesuffix("_id") for name in update_fields}


class ClinicalGateMixin(models.Model):
    """Mixed into a page model that must not go live without clinical approval.

    The page renders its reader document (``reader_document(sources=None)``),
    lists the fields that document is rendered from in ``gated_fields`` and its
    review metadata in ``review_metadata_fields``, and stamps that metadata
    from an approval through ``apply_approval(approval)``.
    """

    gated_fields = ()
    review_metadata_fields = ()

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        # An article starts as a draft (Wagtail's `Page.live` defaults to True).
        # Rows loaded from the database arrive positionally and keep what they have.
        if not args:
            kwargs.setdefault("live", False)
        super().__init__(*args, **kwargs)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is None and self.live and not self.alias_of_id and not _copying.get():
            # Loud: an import script must not believe it published.
            raise PublishRefused(NEW_LIVE_REFUSAL)
        if self.pk is None or self.alias_of_id:
            # A copy and an alias start unpublished: an approval belongs to one
            # article, so they need their own review.
            held = self.live
            self.live = False
            if held:
                self.has_unpublished_changes = True
            result = super().save(*args, **kwargs)
            if held:
                audit.held_log(page=self)
            return result

        watched = {"live", "alias_of", *self.gated_fields, *self.review_metadata_fields}
        if update_fields is not None and not (_names(update_fields) & watched):
            return super().save(*args, **kwargs)
        reason = None
        checked = {}
        with transaction.atomic():
            # Serialise with document writes and other publishes of this article.
            stored = _stored_lock(type(self), self.pk)
            was_live = stored is not None and stored.live
            references = _references(stored)
            if self.live:
                # What readers have now, read before the stored row is overwritten below.
                live_fingerprint = None
                if was_live:
                    # Its topics, read once for its rendering here and its sources.
                    prefetch_related_objects([stored], "topics")
                    live_fingerprint = document_fingerprint(stored.reader_document())
                if update_fields is None:
                    subject = self
                    _people_share(self, stored)
                else:
                    subject = self._state_after(stored, update_fields)
                approval, reason, rendered = _publish_check(
                    subject, live_fingerprint=live_fingerprint
                )
                # What the check found for the row as written, under this lock.
                checked = {"approval": approval, "rendered": rendered, "row": subject}
                if reason is None:
                    if update_fields is None:
                        self.apply_approval(approval)
                    elif self._metadata_differs(approval, _names(update_fields)):
                        reason = METADATA_REFUSAL
            if reason is None:
                self._references_stored = references
                try:
                    result = super().save(*args, **kwargs)
                finally:
                    del self._references_stored
                if was_live or self.live:
                    live_content_changed.send(
                        sender=type(self),
                        instance=self,
                        was_live=was_live,
                        is_live=self.live,
                        **checked,
                    )
        if reason is not None:
            if _publishing.get() is not None:
                raise PublishRefused(reason)
            # Logged once the lock is released, outside the block that wrote nothing.
            refuse(page=self, reason=reason)
        return result

    def clean_fields(self, exclude=None):
        # A reference the locked stored row already holds exists (the database's
        # foreign keys keep it so): only the references this save changes are looked up.
        stored = getattr(self, "_references_stored", {})
        unchanged = {
            field.name
            for field in self._meta.concrete_fields
            if field.attname in stored and stored[field.attname] == getattr(self, field.attname)
        }
        return super().clean_fields(exclude={*(exclude or ()), *unchanged})

    def validate_unique(self, exclude=None):
        # The locked stored row holds its path and translation key uniquely (the database's
        # constraints keep them so): only values this save changes are looked up.
        stored = getattr(self, "_references_stored", {})
        unchanged = {
            name
            for name in _UNIQUE_STORED
            if name in stored and stored[name] == getattr(self, name)
        }
        return super().validate_unique(exclude={*(exclude or ()), *unchanged})

    def permissions_for_user(self, user):
        # Taking the live text down stays open through a workflow's lock (`takedown`).
        return TakeDownPermissionTester(user, self)

    def copy(self, *args, **kwargs):
        with copying():
            return super().copy(*args, **kwargs)

    def _state_after(self, stored, update_fields):
        """The row as it will be once `update_fields` are written over the `stored` one."""
        for name in update_fields:
            field = self._meta.get_field(name.removesuffix("_id"))
            if field.concrete:
                setattr(stored, field.attname, getattr(self, field.attname))
        return stored

    def _metadata_differs(self, approval, names):
        stamped = type(self)(pk=self.pk)
        stamped.apply_approval(approval)
        for name in names & set(self.review_metadata_fields):
            attname = self._meta.get_field(name).attname
            if getattr(self, attname) != getattr(stamped, attname):
                return True
        return False

    def publish(self, revision, user=None, **kwargs):
        go_live_at = revision.content.get("go_live_at")
        if isinstance(go_live_at, str):  # as stored; a revision not yet reloaded holds a datetime
            go_live_at = parse_datetime(go_live_at)
        if go_live_at is not None and go_live_at > timezone.now():
            # Scheduled: Wagtail writes no live row until then, so `save()` cannot ask.
            reason = publish_refusal(revision.as_object())
            if reason is not None:
                refuse(page=self, reason=reason, user=user, revision=revision)
            return super().publish(revision, user=user, **kwargs)
        token = _publishing.set({})
        try:
            with transaction.atomic():
                # Locked before Wagtail writes anything (it clears its revisions'
                # schedules first), as every other writer of the article locks it
                # first: two writers then never wait on each other.
                _publishing.get()[self.pk] = _stored_lock(type(self), self.pk)
                return super().publish(revision, user=user, **kwargs)
        except PublishRefused as refused:
            refuse(page=self, reason=refused.args[0], user=user, revision=revision)
        finally:
            _publishing.reset(token)

    def apply_approval(self, approval):
        """Stamp review metadata from `approval`; pages override to name their fields."""


# A base `Page` instance of a gated row writes the fields readers see (title, slug,
# SEO fields) and its live flag without the page's own save().
_BASE_WATCHED = ("title", "slug", "seo_title", "search_description", "live", "alias_of_id")
BASE_PAGE_REFUSAL = (
    "This article cannot be changed through a plain Page: what readers see changes only "
    "through the article itself, with its medical reviewer's approval. Edit the article "
    "and submit it for review."
)


def base_page_save_check(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of `Page`: refuse a base-Page save that changes a live gated article.

    Taking the article down that way is allowed (unpublishing is always open);
    `base_page_takedown` then tells the receivers, as the page's own save would.
    """
    instance._gate_taken_down = None
    if raw or instance.pk is None or type(instance) is not Page:
        return
    stored = Page.objects.filter(pk=instance.pk).values(*_BASE_WATCHED, "content_type").first()
    if stored is None:
        return
    # The row's type as stored: a save that also rewrites the content type is still
    # a save of the article it was.
    specific_class = ContentType.objects.get_for_id(stored["content_type"]).model_class()
    if specific_class is None or not issubclass(specific_class, ClinicalGateMixin):
        return
    if update_fields is not None and not (
        _names(update_fields) & _names((*_BASE_WATCHED, "content_type"))
    ):
        return
    changed = {name for name in _BASE_WATCHED if getattr(instance, name) != stored[name]}
    if instance.content_type_id != stored["content_type"]:
        changed.add("content_type")
    if not changed:
        return
    if instance.live:
        refuse(page=specific_class.objects.get(pk=instance.pk), reason=BASE_PAGE_REFUSAL)
    instance._gate_taken_down = specific_class if stored["live"] else None


def base_page_takedown(sender, instance, raw=False, **kwargs):
    """``post_save`` of `Page`: a gated article taken down through a base Page instance."""
    specific_class = getattr(instance, "_gate_taken_down", None)
    if specific_class is not None:
        instance._gate_taken_down = None
        article = specific_class.objects.get(pk=instance.pk)
        live_content_changed.send(
            sender=type(article), instance=article, was_live=True, is_live=False
        )


class WorkflowStartRefused(PermissionDenied):
    """A review workflow that could never finish; the message says what to do."""


def workflow_start_check(sender, instance, raw=False, **kwargs):
    """``pre_save`` of `WorkflowState`: no review starts on an article nobody could approve.

    Asked of the latest revision, which is what the workflow reviews; the admin
    form refuses the same earlier, with the same rule.
    """
    if raw or instance.pk is not None:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is None or not issubclass(model, ClinicalGateMixin):
        return
    page = model.objects.filter(pk=instance.object_id).first()
    if page is None:
        return
    reason = rules.workflow_start_refusal(article=page.get_latest_revision_as_object())
    if reason is not None:
        raise WorkflowStartRefused(reason)


def receivers_connect():
    pre_save.connect(
        workflow_start_check, sender=WorkflowState, dispatch_uid="vetted_gate_workflow_start"
    )
    pre_save.connect(base_page_save_check, sender=Page, dispatch_uid="vetted_gate_base_page")
    post_save.connect(base_page_takedown, sender=Page, dispatch_uid="vetted_gate_base_takedown")
