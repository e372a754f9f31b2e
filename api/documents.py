"""Writing delivery documents (see `api.models`) when what readers see changes.

The gate sends ``live_content_changed`` inside the transaction that writes a
live row; the receiver here rewrites that article's document in the same
transaction, so the API never serves a representation the gate did not see.
Bylines, topics, images and linked articles appear in other articles'
documents: a change to any of them rewrites the documents that show it.

Responses built from documents may be cached (`api.response_cache`); every
write here moves the cache on once the transaction commits.
"""

from functools import partial, reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.signals import post_page_move

from content_models.models import ArticlePage, Author, MedicalReviewer, Topic
from workflows.signals import live_content_changed

from . import response_cache, selectors
from .bodies import body_dependencies
from .models import ArticleDocument, DocumentDependency

Kind = DocumentDependency.Kind


def document_write(article):
    """Write the document of `article` if it is live, or remove it if it is not."""
    if not article.live:
        document_remove(article_id=article.pk)
        return None
    from .serializers import ArticleDetailSerializer, ArticleSummarySerializer

    article = _article_for_document(article.pk)
    linked, images = body_dependencies(article.body)
    linked.discard(article.pk)
    _links_recheck_after_commit(article.pk, linked)
    summary = _json(ArticleSummarySerializer(article).data)
    detail = _json(ArticleDetailSerializer(article).data)
    # A live row saved without publish() may lack its dates: the document orders it
    # as published now, which is when readers first see it.
    now = timezone.now()
    published_at = article.first_published_at or article.last_published_at or now
    document, _created = ArticleDocument.objects.update_or_create(
        article=article,
        defaults={
            "slug": article.slug,
            "title": article.title,
            "first_published_at": published_at,
            "last_published_at": article.last_published_at or published_at,
            "reviewed_at": article.reviewed_at or published_at,
            "next_review_due": article.next_review_due,
            "author_id": article.author_id,
            "medical_reviewer_id": article.medical_reviewer_id,
            "summary": summary,
            "detail": detail,
        },
    )
    document.topics.set(article.topics.all())
    _dependencies_set(document, article, linked=linked, images=images)
    _served_content_changed()
    return document


def _links_recheck_after_commit(article_id, linked):
    """Write the document again after commit if an article it links to changed meanwhile.

    A linked article published, retitled or taken down in a concurrent
    transaction rewrites the documents that link to it, but cannot see this
    document's links before this transaction commits. So the links are read
    now and again after commit; if they differ, the document is written anew.
    (The other side does the same: `article_live_content_changed`.)
    """
    if not linked:
        return
    shown = selectors.article_links(ids=linked)

    def recheck():
        if selectors.article_links(ids=linked) == shown:
            return
        with transaction.atomic():
            current = ArticlePage.objects.only("live").filter(pk=article_id).first()
            if current is not None:
                document_write(current)

    transaction.on_commit(recheck, robust=True)


def document_remove(*, article_id):
    deleted, _by_model = ArticleDocument.objects.filter(article_id=article_id).delete()
    if deleted:
        _served_content_changed()


def documents_rewrite(*, kind, ids):
    """Rewrite every document that shows one of `ids` of `kind` (a DocumentDependency.Kind)."""
    article_ids = set(
        DocumentDependency.objects.filter(kind=kind, object_id__in=ids).values_list(
            "document_id", flat=True
        )
    )
    # Only what document_write needs to choose: it reads each article in full itself.
    for article in ArticlePage.objects.only("live").filter(pk__in=article_ids).order_by("pk"):
        document_write(article)


def documents_build_missing():
    """Write the documents that live articles lack (after an upgrade, or a restore)."""
    missing = (
        ArticlePage.objects.live()
        .filter(delivery_document__isnull=True)
        .only("live")
        .order_by("pk")
    )
    count = 0
    for article in missing.iterator():
        document_write(article)
        count += 1
    return count


def documents_stray_remove():
    """Remove the documents of articles that are no longer live, and rewrite those that
    link to them; returns how many were removed.

    Every path through the gate removes a document with its article's live flag;
    only a write that bypasses ``save()`` (``queryset.update(live=False)``, raw
    SQL) leaves one behind. Lists never show it (they check the live row), but
    their counts trust the documents (`selectors.article_documents_count`).
    """
    stray = list(
        ArticleDocument.objects.exclude(article__live=True).values_list("article_id", flat=True)
    )
    for article_id in stray:
        document_remove(article_id=article_id)
    if stray:
        documents_rewrite(kind=Kind.ARTICLE, ids=stray)
    return len(stray)


def _article_for_document(pk):
    return (
        ArticlePage.objects.select_related(
            "author__photo", "medical_reviewer__photo", "reviewed_by"
        )
        .prefetch_related("topics")
        .get(pk=pk)
    )


def _json(data):
    # The renderer the API answers with: the same bytes a serializer's response would carry.
    return JSONRenderer().render(data).decode()


def _dependencies_set(document, article, *, linked, images):
    """Record what `document` shows besides `article`: the `linked` articles and
    `images` of its body, its people (and their photos) and its topics."""
    images = set(images)
    for person in (article.author, article.medical_reviewer):
        if person is not None and person.photo_id is not None:
            images.add(person.photo_id)
    wanted = {(Kind.ARTICLE, pk) for pk in linked}
    wanted |= {(Kind.IMAGE, pk) for pk in images}
    wanted |= {(Kind.TOPIC, topic.pk) for topic in article.topics.all()}
    wanted.add((Kind.AUTHOR, article.author_id))
    for reviewer_id in {article.medical_reviewer_id, article.reviewed_by_id} - {None}:
        wanted.add((Kind.REVIEWER, reviewer_id))
    stored = set(document.dependencies.values_list("kind", "object_id"))
    gone = stored - wanted
    if gone:
        document.dependencies.filter(
            reduce(or_, (Q(kind=kind, object_id=object_id) for kind, object_id in gone))
        ).delete()
    DocumentDependency.objects.bulk_create(
        [
            DocumentDependency(document=document, kind=kind, object_id=object_id)
            for kind, object_id in sorted(wanted - stored)
        ]
    )


def _served_content_changed():
    # Robust: the change has committed, so a cache outage must not turn the editor's
    # publish into an error page. It is logged; cached responses then expire on
    # their own (API_CACHE_SECONDS * 10).
    transaction.on_commit(response_cache.invalidate, robust=True)


# Receivers, connected by `receivers_connect()` from `cms.apps`.


def article_live_content_changed(sender, instance, was_live, is_live, **kwargs):
    document_write(instance)
    # Wagtail indexes a page before its topics are saved; index it again now they are.
    if is_live:
        index.insert_or_update_object(instance)
    # Articles that link here show its title and whether it is public: now, and again
    # after commit for those whose links were written concurrently (not visible yet).
    documents_rewrite(kind=Kind.ARTICLE, ids=[instance.pk])
    transaction.on_commit(partial(_linking_documents_rewrite, instance.pk), robust=True)


def _linking_documents_rewrite(article_id):
    with transaction.atomic():
        documents_rewrite(kind=Kind.ARTICLE, ids=[article_id])


def article_deleted(sender, instance, **kwargs):
    _served_content_changed()
    documents_rewrite(kind=Kind.ARTICLE, ids=[instance.pk])


def related_saved(kind):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            documents_rewrite(kind=kind, ids=[instance.pk])

    return receiver


def related_deleted(kind):
    def receiver(sender, instance, **kwargs):
        documents_rewrite(kind=kind, ids=[instance.pk])

    return receiver


def topic_about_to_go(sender, instance, **kwargs):
    # The topic leaves articles through their M2M rows, which sends no signal the
    # documents could follow: remember who showed it, rewrite them once it is gone.
    instance._documents_showing = list(
        DocumentDependency.objects.filter(kind=Kind.TOPIC, object_id=instance.pk).values_list(
            "document_id", flat=True
        )
    )


def topic_deleted(sender, instance, **kwargs):
    for article in ArticlePage.objects.filter(pk__in=getattr(instance, "_documents_showing", [])):
        document_write(article)


def served_content_changed(sender, **kwargs):
    # A view restriction or a move changes which documents are public, not their content.
    _served_content_changed()


def documents_after_migrate(sender, **kwargs):
    if sender.name == "api":
        documents_stray_remove()
        documents_build_missing()


_RELATED = {Author: Kind.AUTHOR, MedicalReviewer: Kind.REVIEWER}


def receivers_connect():
    live_content_changed.connect(
        article_live_content_changed, dispatch_uid="vetted_documents_live_content_changed"
    )
    post_delete.connect(
        article_deleted, sender=ArticlePage, dispatch_uid="vetted_documents_article_deleted"
    )
    image_model = get_image_model()
    related = {**_RELATED, image_model: Kind.IMAGE, Topic: Kind.TOPIC}
    for model, kind in related.items():
        post_save.connect(
            related_saved(kind), sender=model, weak=False, dispatch_uid=f"vetted_documents_{kind}"
        )
    for model, kind in {**_RELATED, image_model: Kind.IMAGE}.items():
        # Authors and reviewers of articles are protected; an unused one may go.
        post_delete.connect(
            related_deleted(kind),
            sender=model,
            weak=False,
            dispatch_uid=f"vetted_documents_{kind}_deleted",
        )
    pre_delete.connect(topic_about_to_go, sender=Topic, dispatch_uid="vetted_documents_topic_pre")
    post_delete.connect(topic_deleted, sender=Topic, dispatch_uid="vetted_documents_topic")
    for signal in (post_save, post_delete):
        signal.connect(
            served_content_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"vetted_documents_restriction_{signal is post_save}",
        )
    post_page_move.connect(served_content_changed, dispatch_uid="vetted_documents_page_moved")
    post_migrate.connect(documents_after_migrate, dispatch_uid="vetted_documents_after_migrate")
