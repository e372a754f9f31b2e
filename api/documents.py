"""Writing delivery documents (see `api.models`) when what readers see changes.

The gate sends ``live_content_changed`` inside the transaction that writes a
live row; the receiver here rewrites that article's document in the same
transaction, so the API never serves a representation the gate did not see.
Bylines, topics, images and linked articles appear in other articles'
documents: a change to any of them rewrites the documents that show it.

Responses built from documents are cached (`api.response_cache`, and CDNs):
every write here names the cache tags it affects (`api.cache_tags`), which are
purged once the transaction commits.
"""

from functools import partial, reduce
from operator import or_

from django.db import connections, transaction
from django.db.models import Q, prefetch_related_objects
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import post_page_move

from content_models.models import (
    ArticlePage,
    Author,
    InterestDeclaration,
    MedicalReviewer,
    Specialty,
    Topic,
)
from reader.body import body_article_ids, body_image_ids
from reader.changes import document_changes
from reader.document import document_fingerprint
from workflows import audit, gate
from workflows.corrections import corrections_record, corrections_shown
from workflows.services import rereview_start
from workflows.signals import live_content_changed

from . import cache_tags, search, selectors, shared_changes
from .delivery import article_representations
from .models import ArticleDocument, DocumentDependency

Kind = DocumentDependency.Kind


def document_write(article, *, approval=None, rendered=None, row=None):
    """Write the document of `article` if it is live and covered, or remove it.

    `row`, `approval` and `rendered` are what the gate found for the row as
    written, in this transaction and under the row's lock (`live_content_changed`):
    that row, the covering approval and the reader document it compared. Without
    them, all three are asked again here.

    The live row is read again under a lock, so a write that races an approval
    ends with the document of whichever live row committed last. The gate is
    asked which approval covers the row: readers get that approval's document,
    rendered from the approval's own sources snapshot less what has since been
    withdrawn from readers (`reader.sources.sources_withdrawn`). A live row no
    approval covers (changed around the gate) is never served: its document is
    removed, and the withdrawal logged for editors.
    """
    with transaction.atomic():
        if row is None:
            return _document_write_locked(
                _article_for_document(article.pk), approval=approval, rendered=rendered
            )
        # Its topics as committed, read once for the document, its filing and its
        # dependencies, and not left behind on the gate's caller's instance.
        prefetch_related_objects([row], "topics")
        try:
            return _document_write_locked(row, approval=approval, rendered=rendered)
        finally:
            row._prefetched_objects_cache.pop("topics", None)


def _document_write_locked(article, *, approval, rendered):
    if article is None or not article.live:
        document_remove(article_id=article.pk if article else None)
        return None
    current = article.reader_document() if rendered is None else rendered
    if approval is None:
        approval = gate.covering_approval(article, rendered=current)
    if approval is None:
        document_withdraw(article=article)
        return None
    document = _served_document(article, approval)
    changes = shown_changes(served=document, current=current)
    if changes:
        audit.shown_changed_log(page=article, changes=[label for label, _old, _new in changes])
        transaction.on_commit(partial(_rereview_after_commit, article.pk), robust=True)
    return _document_store(article=article, document=document, approval=approval)


def _served_document(article, approval):
    """`approval`'s document of `article`, less what has since been withdrawn from readers."""
    sources = approval.sources or article.reader_sources()
    return article.reader_document(article.reader_sources_withdrawn(sources))


def _document_store(*, article, document, approval):
    linked, images = body_dependencies(article.body)
    # Articles linked by a typed address too: the snapshot resolved them.
    linked |= {int(pk) for pk in (approval.sources or {}).get("articles", {})}
    linked.discard(article.pk)
    _links_recheck_after_commit(article.pk, linked)
    # A live row saved without publish() may lack its dates: the document orders it
    # as published now, which is when readers first see it.
    now = timezone.now()
    published_at = article.first_published_at or article.last_published_at or now
    updated_at = article.last_published_at or published_at
    summary, detail = article_representations(
        article=article,
        document=document,
        published_at=published_at,
        updated_at=updated_at,
        reviewed_at=approval.approved_at,
        next_review_due=approval.next_review_due,
        corrections=_corrections(article, approval, document),
    )
    existing = ArticleDocument.objects.filter(article=article).first()
    filed = set(existing.topics.values_list("pk", flat=True)) if existing else set()
    before = _document_shown(existing, topic_ids=filed)
    fields = {
        "slug": document["slug"],
        "title": document["title"],
        "first_published_at": published_at,
        "last_published_at": updated_at,
        "reviewed_at": approval.approved_at,
        "next_review_due": approval.next_review_due,
        "author_id": article.author_id,
        "medical_reviewer_id": article.medical_reviewer_id,
        "summary": _json(summary),
        "detail": _json(detail),
        "search_text": search.search_text(document),
    }
    # The row is locked (`_article_for_document`), so no other write races this one.
    stored = ArticleDocument(article=article, **fields)
    topic_ids = {topic.pk for topic in article.topics.all()}
    if existing is None:
        stored.save(force_insert=True)
    else:
        ArticleDocument.objects.filter(pk=article.pk).update(**fields, built_at=timezone.now())
    _topics_file(stored, topic_ids=topic_ids, filed=filed)
    _dependencies_set(stored, article, linked=linked, images=images)
    after = _document_shown(stored, topic_ids=topic_ids)
    cache_tags.changed(_changed_tags(article.pk, before, after))
    return stored


def _corrections(article, approval, document):
    """The corrections the detail of `approval`'s `document` shows, from the log
    (`workflows.corrections`), its own recorded first if it carries a new one."""
    recorded, added = corrections_record(page_id=article.pk, approval=approval, document=document)
    if added:
        cache_tags.changed({cache_tags.CORRECTIONS})
    return corrections_shown(recorded)


def _topics_file(document, *, topic_ids, filed):
    """File `document` under the topics `topic_ids`, where it is filed under `filed` now
    (`topics.set()` without reading again what the caller has just read)."""
    if filed - topic_ids:
        document.topics.remove(*(filed - topic_ids))
    if topic_ids - filed:
        document.topics.add(*(topic_ids - filed))


def _document_shown(document, *, topic_ids=None):
    """What of `document` the responses that show it depend on (None for no document);
    `topic_ids` are its topics, when known without asking the database."""
    if document is None:
        return None
    if topic_ids is None:
        topic_ids = document.topics.values_list("pk", flat=True)
    return {
        "slug": document.slug,
        "summary": document.summary,
        "detail": document.detail,
        # Who and what lists and counts it is under.
        "under": {
            *(cache_tags.topic(pk) for pk in topic_ids),
            cache_tags.author(document.author_id),
            *(
                [cache_tags.reviewer(document.medical_reviewer_id)]
                if document.medical_reviewer_id
                else []
            ),
        },
    }


def _changed_tags(article_id, before, after):
    """The cache tags a document going from `before` to `after` (`_document_shown`) affects.

    Its own responses when anything changed; every article list when its list item
    did; and, when it entered or left the public set or what it is filed under
    changed, the lists and counts of topics and people too.
    """
    if before == after:
        return set()
    shown = [state for state in (before, after) if state is not None]
    tags = {cache_tags.article(article_id)}
    tags |= {cache_tags.article_slug(state["slug"]) for state in shown}
    if before is None or after is None or before["summary"] != after["summary"]:
        tags.add(cache_tags.ARTICLES)
    if before is None or after is None or before["under"] != after["under"]:
        tags |= {cache_tags.ARTICLES, cache_tags.TOPICS, cache_tags.AUTHORS, cache_tags.REVIEWERS}
        tags |= set().union(*(state["under"] for state in shown))
    return tags


def document_withdraw(*, article):
    """Take out of delivery a live article whose content no approval covers."""
    existed = ArticleDocument.objects.filter(article_id=article.pk).exists()
    document_remove(article_id=article.pk)
    if existed:
        audit.withdrawn_log(
            page=article,
            reason="The live article's content has no covering approval by its medical "
            "reviewer (it was changed outside the workflow), so the API no longer serves "
            "it. Submit the article for review to publish it again.",
        )


def shown_changes(*, served, current):
    """``[(label, old, new)]``: how the article would read today (`current`) unlike the
    approved document readers are `served`, because something it shows changed
    elsewhere (a linked article's title, a topic's or a person's name, an image).

    Withdrawals alone (a link gone private) are no change: `served` has them.
    When there are any, the article goes to its reviewer for re-review.
    """
    if document_fingerprint(current) == document_fingerprint(served):
        return []
    return document_changes(served, current)


def _rereview_after_commit(article_id):
    with transaction.atomic():
        article = ArticlePage.objects.filter(pk=article_id, live=True).first()
        if article is None:
            return
        # Approved again meanwhile (or the change undone): nothing left to review.
        current = article.reader_document()
        approval = gate.covering_approval(article, rendered=current)
        if approval is None:
            return
        changes = shown_changes(served=_served_document(article, approval), current=current)
        if changes:
            rereview_start(article=article, changes=changes)


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
    if article_id is None:
        return
    # The tags it affects are named as it goes (`document_deleting`).
    ArticleDocument.objects.filter(article_id=article_id).delete()


def documents_rewrite(*, kind, ids, after=None, limit=None):
    """Rewrite every document that shows one of `ids` of `kind` (a DocumentDependency.Kind).

    With `after` and `limit`, only the first `limit` of them by article id past
    `after`. Returns the article ids rewritten, in order.
    """
    showing = DocumentDependency.objects.filter(kind=kind, object_id__in=ids)
    if after is not None:
        showing = showing.filter(document_id__gt=after)
    article_ids = showing.order_by("document_id").values_list("document_id", flat=True).distinct()
    if limit is not None:
        article_ids = article_ids[:limit]
    article_ids = list(article_ids)
    # Only what document_write needs to choose: it reads each article in full itself.
    for article in ArticlePage.objects.only("live").filter(pk__in=article_ids).order_by("pk"):
        document_write(article)
    return article_ids


def documents_rewrite_soon(*, kind, ids):
    """Rewrite the documents that show `ids` of `kind` once this change commits, by the
    task worker in batches (`api.tasks.documents_rewrite_shown`), so that the editor's
    save does not wait on every article that shows it.

    The task is a row written in the change's own transaction (django-tasks-db):
    it exists exactly when the change committed, and survives a restart. A
    backend that cannot hold work for later (the immediate one of the test
    settings, which would also swallow its errors) gets none: the documents are
    rewritten here, in the transaction, as without a worker.
    """
    from . import tasks

    if not DocumentDependency.objects.filter(kind=kind, object_id__in=ids).exists():
        return  # nothing live shows it (a new author, say)
    if not tasks.documents_rewrite_shown.get_backend().supports_defer:
        documents_rewrite(kind=kind, ids=ids)
        return
    tasks.documents_rewrite_shown.enqueue(kind=str(kind), ids=sorted(ids))


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


# A key every detail has now that documents written by an earlier version lack.
_DETAIL_NEWEST_KEY = '"corrections":'


def documents_outdated_rewrite():
    """Rewrite the documents an earlier version wrote without what details carry now
    (after an upgrade); returns how many."""
    outdated = ArticleDocument.objects.exclude(detail__contains=_DETAIL_NEWEST_KEY)
    article_ids = list(outdated.order_by("pk").values_list("article_id", flat=True))
    for article in ArticlePage.objects.only("live").filter(pk__in=article_ids).order_by("pk"):
        with transaction.atomic():
            document_write(article)
    return len(article_ids)


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
    """The live row of article `pk`, locked until the transaction ends (or None)."""
    ArticlePage.objects.select_for_update().filter(pk=pk).values_list("pk").first()
    return (
        ArticlePage.objects.select_related("author__photo", "medical_reviewer__photo")
        .prefetch_related("topics")
        .filter(pk=pk)
        .first()
    )


def _json(data):
    # The renderer the API answers with: the same bytes a serializer's response would carry.
    return JSONRenderer().render(data).decode()


def _dependencies_set(document, article, *, linked, images):
    """Record what `document` shows besides `article`: the `linked` articles and
    `images` of its body, its people (and their photos) and its topics."""
    photos = {
        person.photo_id
        for person in (article.author, article.medical_reviewer)
        if person is not None and person.photo_id is not None
    }
    wanted = {(Kind.ARTICLE, pk) for pk in linked}
    wanted |= {(Kind.IMAGE, pk) for pk in images}
    wanted |= {(Kind.PHOTO, pk) for pk in photos}
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


# Receivers, connected by `receivers_connect()` from `cms.apps`.


def article_live_content_changed(
    sender, instance, was_live, is_live, approval=None, rendered=None, row=None, **kwargs
):
    document_write(instance, approval=approval, rendered=rendered, row=row)
    # Wagtail's own index of the page (the admin's search) is a task that reads the page
    # when it runs: after commit, with its topics, on a worker. A backend that runs it at
    # once ran it before the topics were saved, so the page is indexed again now.
    if is_live and not insert_or_update_object_task.get_backend().supports_defer:
        index.insert_or_update_object(instance)
    # Articles that link here show its title and whether it is public: now, and again
    # after commit for those whose links were written concurrently (not visible yet).
    documents_rewrite(kind=Kind.ARTICLE, ids=[instance.pk])
    transaction.on_commit(partial(_linking_documents_rewrite, instance.pk), robust=True)


def _linking_documents_rewrite(article_id):
    with transaction.atomic():
        documents_rewrite(kind=Kind.ARTICLE, ids=[article_id])


def article_deleted(sender, instance, **kwargs):
    documents_rewrite(kind=Kind.ARTICLE, ids=[instance.pk])


def document_deleting(sender, instance, **kwargs):
    """However a document goes (taken down, its article deleted, found stray), the
    responses that showed it go with it."""
    cache_tags.changed(_changed_tags(instance.article_id, _document_shown(instance), None))


def related_saved(*kinds, tags):
    """A person, topic or image was saved: what it shows changes on live articles by the
    task worker, after commit; a photo taken off a profile, a removal, leaves at once."""

    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            for kind in kinds:
                if _photo_removed(instance):
                    documents_rewrite(kind=kind, ids=[instance.pk])
                else:
                    documents_rewrite_soon(kind=kind, ids=[instance.pk])
            cache_tags.changed(tags(instance))

    return receiver


def _photo_removed(instance):
    # `shared_changes.person_about_to_save` noted what of a person's save is not clinical.
    changed = getattr(instance, "_not_clinical_changed", ())
    return "photo" in changed and getattr(instance, "photo_id", None) is None


def related_deleted(*kinds, tags):
    def receiver(sender, instance, **kwargs):
        for kind in kinds:
            documents_rewrite(kind=kind, ids=[instance.pk])
        cache_tags.changed(tags(instance))

    return receiver


def section_privacy_changed(sender, instance, **kwargs):
    """A view restriction was added or removed, or a page moved: which articles are public
    changed for the whole section, so every document linking into it is written again
    (a link to an article no longer public becomes plain text at once)."""
    page_id = instance.page_id if sender is PageViewRestriction else instance.pk
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path is not None:
        section = ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
        documents_rewrite(kind=Kind.ARTICLE, ids=list(section))
    # Which articles, people and topics are public changed: everything may show it.
    cache_tags.changed({cache_tags.ALL})


def documents_after_migrate(sender, using="default", **kwargs):
    if sender.name == "api":
        # A migration that rebuilt the documents' table (SQLite) dropped the index's triggers.
        search.index_ensure(connections[using])
        documents_stray_remove()
        documents_build_missing()
        documents_outdated_rewrite()


_RELATED = {Author: (Kind.AUTHOR,), MedicalReviewer: (Kind.REVIEWER,)}
# What the endpoints of people and topics show of each (a photo: either's).
_SHOWN_BY = {
    Author: lambda author: {cache_tags.author(author.pk), cache_tags.AUTHORS},
    MedicalReviewer: lambda reviewer: {cache_tags.reviewer(reviewer.pk), cache_tags.REVIEWERS},
    Topic: lambda topic: {cache_tags.topic(topic.pk), cache_tags.TOPICS},
}


def _photos_shown(image):
    return {cache_tags.AUTHORS, cache_tags.REVIEWERS}


def receivers_connect():
    live_content_changed.connect(
        article_live_content_changed, dispatch_uid="vetted_documents_live_content_changed"
    )
    post_delete.connect(
        article_deleted, sender=ArticlePage, dispatch_uid="vetted_documents_article_deleted"
    )
    pre_delete.connect(
        document_deleting, sender=ArticleDocument, dispatch_uid="vetted_documents_deleting"
    )
    image_model = get_image_model()
    images = (Kind.IMAGE, Kind.PHOTO)
    related = {**_RELATED, image_model: images, Topic: (Kind.TOPIC,)}
    shown_by = {**_SHOWN_BY, image_model: _photos_shown}
    for model, kinds in related.items():
        post_save.connect(
            related_saved(*kinds, tags=shown_by[model]),
            sender=model,
            weak=False,
            dispatch_uid=f"vetted_documents_{kinds[0]}",
        )
    for model, kinds in {**_RELATED, image_model: images}.items():
        # Authors and reviewers of articles are protected; an unused one may go.
        post_delete.connect(
            related_deleted(*kinds, tags=shown_by[model]),
            sender=model,
            weak=False,
            dispatch_uid=f"vetted_documents_{kinds[0]}_deleted",
        )
    pre_save.connect(
        shared_changes.image_about_to_save, sender=image_model, dispatch_uid="vetted_image_file"
    )
    for person in (Author, MedicalReviewer):
        pre_save.connect(
            shared_changes.person_about_to_save,
            sender=person,
            dispatch_uid=f"vetted_not_clinical_{person.__name__}",
        )
        post_save.connect(
            shared_changes.person_saved,
            sender=person,
            dispatch_uid=f"vetted_not_clinical_logged_{person.__name__}",
        )
    pre_delete.connect(
        shared_changes.topic_about_to_delete, sender=Topic, dispatch_uid="vetted_topic_delete"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            section_privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"vetted_documents_restriction_{signal is post_save}",
        )
    post_page_move.connect(section_privacy_changed, dispatch_uid="vetted_documents_page_moved")
    post_migrate.connect(documents_after_migrate, dispatch_uid="vetted_documents_after_migrate")
    _profile_receivers_connect()


def _profile_receivers_connect():
    """What the reviewer and topic endpoints show beside the documents: specialties and
    declared interests. None of it is in a reader document; each change is purged."""
    post_save.connect(
        _declaration_saved, sender=InterestDeclaration, dispatch_uid="vetted_declaration_saved"
    )
    for signal in (post_save, pre_delete):
        signal.connect(
            _specialty_changed,
            sender=Specialty,
            dispatch_uid=f"vetted_specialty_changed_{signal is post_save}",
        )
    for model in (MedicalReviewer, Topic):
        m2m_changed.connect(
            _specialties_set,
            sender=model.specialties.through,
            dispatch_uid=f"vetted_specialties_of_{model.__name__}",
        )


def _declaration_saved(sender, instance, created, **kwargs):
    cache_tags.changed({cache_tags.reviewer(instance.reviewer_id), cache_tags.REVIEWERS})


def _specialty_changed(sender, instance, **kwargs):
    # Before a delete, while its reviewers and topics still name it.
    reviewers = instance.reviewers.values_list("pk", flat=True)
    topics = instance.topics.values_list("pk", flat=True)
    cache_tags.changed(
        {cache_tags.REVIEWERS, cache_tags.TOPICS}
        | {cache_tags.reviewer(pk) for pk in reviewers}
        | {cache_tags.topic(pk) for pk in topics}
    )


def _specialties_set(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        cache_tags.changed(_SHOWN_BY[type(instance)](instance))
    elif pk_set is None:  # a specialty's links cleared: whose is no longer known
        cache_tags.changed({cache_tags.ALL})
    else:
        cache_tags.changed(set().union(*(_SHOWN_BY[model](model(pk=pk)) for pk in pk_set)))


def body_dependencies(body):
    """``(article ids, image ids)`` that the blocks of `body` link to or show."""
    blocks = list(body.raw_data)
    return body_article_ids(blocks), body_image_ids(blocks)
