"""Changes elsewhere to what live articles show, refused where only an article edit may make them.

A live article's reader document binds the file of each image in its body and
its topics (`reader.document`). Replacing the file of such an image, or
deleting such a topic, would change what readers get without an approval, so
both are refused while a live article shows them, saying what to do instead.
Names and titles shown (people, topics, linked articles) may change: live
articles keep their approved document and go to re-review
(`api.documents.shown_changes`). A deleted image or an article taken
down leaves at once: removals only remove (`reader.sources.sources_withdrawn`).
"""

from django.core.exceptions import PermissionDenied
from wagtail.log_actions import log

from content_models.models import ArticlePage, Author, MedicalReviewer
from reader.document import NOT_CLINICAL

from .models import DocumentDependency

Kind = DocumentDependency.Kind
NAMED = 3


class SharedChangeRefused(PermissionDenied):
    """A change to something live articles show that only article edits may make."""


def articles_showing(*, kind, object_id):
    """The live articles whose delivery documents show `object_id` of `kind`, by title."""
    shown = DocumentDependency.objects.filter(kind=kind, object_id=object_id).values("document_id")
    return ArticlePage.objects.live().filter(pk__in=shown).order_by("title")


def image_file_refusal(*, image_id):
    """Why the file of image `image_id` may not be replaced now, or None."""
    articles = articles_showing(kind=Kind.IMAGE, object_id=image_id)
    if not articles.exists():
        return None
    return (
        f"This image is shown in {_articles_named(articles)}, as its medical reviewer "
        "approved it, so its file cannot be replaced while that is live. Upload the new "
        "picture as a new image and choose it in the article; the edit then goes to "
        "medical review."
    )


def topic_deletion_refusal(*, topic_id):
    """Why topic `topic_id` may not be deleted now, or None."""
    articles = articles_showing(kind=Kind.TOPIC, object_id=topic_id)
    if not articles.exists():
        return None
    return (
        f"This topic is shown on {_articles_named(articles)}, as approved, so it cannot "
        "be deleted while that is live. Remove it from the article first (the edit goes "
        "to medical review), or rename it: live articles keep the approved name until "
        "their reviewers approve the new one."
    )


def _articles_named(articles):
    count = articles.count()
    titles = ", ".join(f"“{title}”" for title in articles.values_list("title", flat=True)[:NAMED])
    if count == 1:
        return f"the live article {titles}"
    more = f" and {count - NAMED} more" if count > NAMED else ""
    return f"{count} live articles ({titles}{more})"


# Receivers, connected by `receivers_connect()` from `api.documents`.


def image_about_to_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("file", "file_hash").first()
    if stored is None or stored == (instance.file.name, instance.file_hash):
        return
    reason = image_file_refusal(image_id=instance.pk)
    if reason is not None:
        raise SharedChangeRefused(reason)


def topic_about_to_delete(sender, instance, **kwargs):
    reason = topic_deletion_refusal(topic_id=instance.pk)
    if reason is not None:
        raise SharedChangeRefused(reason)


NOT_CLINICAL_CHANGED = "vetted.not_clinical_changed"
_ROLES = {Author: ("author", Kind.AUTHOR), MedicalReviewer: ("medical_reviewer", Kind.REVIEWER)}


def person_about_to_save(sender, instance, raw=False, **kwargs):
    """Note which parts outside the approval (`NOT_CLINICAL`) a person's save changes."""
    role, _kind = _ROLES[sender]
    fields = [field for shown_as, field in NOT_CLINICAL if shown_as == role]
    stored = sender.objects.filter(pk=instance.pk).values(*_columns(sender, fields)).first()
    instance._not_clinical_changed = [
        field
        for field in fields
        if stored is not None
        and stored[_column(sender, field)] != getattr(instance, _column(sender, field))
    ]


def person_saved(sender, instance, raw=False, **kwargs):
    """Log a change outside the approval that reaches live articles at once."""
    changed = getattr(instance, "_not_clinical_changed", [])
    instance._not_clinical_changed = []
    if raw or not changed:
        return
    _role, kind = _ROLES[sender]
    log(
        instance=instance,
        action=NOT_CLINICAL_CHANGED,
        data={
            "fields": changed,
            "live_articles": articles_showing(kind=kind, object_id=instance.pk).count(),
        },
    )


def _column(model, field):
    return model._meta.get_field(field).attname


def _columns(model, fields):
    return [_column(model, field) for field in fields]
