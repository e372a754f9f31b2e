"""What the delivery API may show, decided here and nowhere else.

Every endpoint's queryset starts from `articles_public()`: live articles
outside any private section. The publishing gate guarantees that a live row holds only
content its assigned clinician approved, so the API reads live rows and never
revisions. The article endpoints read those rows' delivery documents
(`article_documents()`, written by the gate's transaction, see `api.models`)
under the same condition. The one exception is `article_preview`, which reads
the draft a valid preview token was issued for.

Authors, reviewers and topics are public while at least one public article
credits them, and only public articles are counted.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from content_models.models import (
    ArticlePage,
    Author,
    InterestDeclaration,
    MedicalReviewer,
    Topic,
)
from reader.images import PHOTO_FILTER
from reader.public import pages_public, restrictions_above
from workflows.corrections import Correction

from . import previews, search
from .compiled import CompiledQuery, Statement
from .models import ArticleDocument

# Orderings of the delivery documents, each read off an index (see `api.models`).
ARTICLE_ORDERINGS = {
    "-published_at": ("-first_published_at", "-pk"),
    "published_at": ("first_published_at", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "-reviewed_at": ("-reviewed_at", "-pk"),
}
DEFAULT_ARTICLE_ORDERING = "-published_at"
# The ``content_type`` a preview client passes along with the token.
PREVIEW_CONTENT_TYPE = ArticlePage.get_content_type_str()


def articles_public():
    """Articles anyone may read: live, and not at or below a page with a view restriction
    (`reader.public`, which the reader document's links ask too)."""
    return pages_public(ArticlePage.objects)


def article_documents():
    """The delivery documents of `articles_public()`, newest first.

    The same condition, on the document's own article: a document is written
    only for a live row, and the join keeps the rule here rather than in the
    documents' bookkeeping.
    """
    queryset = ArticleDocument.objects.filter(page__live=True).filter(
        ~Exists(restrictions_above(path="page__path"))
    )
    return articles_ordered(queryset=queryset, ordering=DEFAULT_ARTICLE_ORDERING)


def article_detail_row(*, slug):
    """``(detail, article id, next review due)`` of the public article `slug`, or None.

    `article_documents()` narrowed to `slug`, compiled to SQL once per connection
    (`api.compiled`): the detail is the API's most frequent uncached read.
    """
    return _ARTICLE_DETAIL.first(slug=slug)


_ARTICLE_DETAIL = CompiledQuery(
    lambda slug: (
        article_documents()
        .filter(slug=slug)
        .values_list("detail", "article_id", "next_review_due")[:1]
    )
)


def article_documents_count(*, listed, unchecked, limit=None):
    """How many rows `listed` (`article_documents()`, narrowed) has, in one query;
    with `limit`, counting stops at `limit` rows.

    `unchecked` is the same narrowing of every delivery document, without the
    public rule. While no view restriction exists anywhere (most sites, most of
    the time), the two count the same: a document is written in the transaction
    that makes its article live and deleted in the one that takes it down (the
    gate's `live_content_changed`, `api.documents`), so the documents are
    counted alone, without joining each to its page and the restrictions above
    it, which at 100,000 articles is most of a list request. Once any view
    restriction exists, `listed` itself is counted. The rows a list shows always
    come from `listed`.
    """
    statement = article_documents_count_statement(listed=listed, unchecked=unchecked, limit=limit)
    if statement is None:  # narrowed to nothing before any query (a search with no words)
        return 0
    with connections[listed.db].cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchone()[0]


def article_documents_count_statement(*, listed, unchecked, limit=None):
    """The SQL of `article_documents_count` (a `Statement`), or None when it is 0 unasked."""
    try:
        listed_sql, listed_params = listed.order_by().values("pk").query.sql_with_params()
        unchecked_sql, unchecked_params = unchecked.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    restrictions = PageViewRestriction._meta.db_table
    if limit is not None:
        listed_sql, unchecked_sql = (
            f"{sql} LIMIT {int(limit)}" for sql in (listed_sql, unchecked_sql)
        )
    return Statement(
        f"SELECT CASE WHEN EXISTS (SELECT 1 FROM {restrictions}) "  # noqa: S608
        f"THEN (SELECT COUNT(*) FROM ({listed_sql}) listed) "
        f"ELSE (SELECT COUNT(*) FROM ({unchecked_sql}) unchecked) END",
        [*listed_params, *unchecked_params],
    )


def article_documents_unchecked():
    """Every delivery document, public or not: only for `article_documents_count`."""
    return ArticleDocument.objects.all()


def articles_ordered(*, queryset, ordering):
    """`queryset` in `ordering`, one of ARTICLE_ORDERINGS (ties broken by id)."""
    return queryset.order_by(*ARTICLE_ORDERINGS[ordering])


def articles_matching(*, queryset, text):
    """The documents of `queryset` (`article_documents()`, narrowed) whose words match `text`.

    Searched in the documents themselves (`api.search`): what a search finds is
    what readers are served, and what is public, and the order, stay `queryset`'s.
    """
    return search.documents_matching(queryset=queryset, text=text)


def article_links(*, ids):
    """``{id: (slug, title)}`` of the public articles among `ids`: targets a body may link to."""
    if not ids:
        return {}
    rows = articles_public().filter(pk__in=ids).values_list("pk", "slug", "title")
    return {pk: (slug, title) for pk, slug, title in rows}


def images_by_id(*, ids, filter_spec):
    """Images among `ids`, with their `filter_spec` renditions prefetched."""
    if not ids:
        return {}
    return get_image_model().objects.prefetch_renditions(filter_spec).in_bulk(ids)


def corrections_public():
    """The corrections log of public articles, newest first, each with its article's
    slug and title as its document has them (``article_slug``, ``article_title``)."""
    documents = ArticleDocument.objects.filter(page__live=True, article_id=OuterRef("page_id"))
    documents = documents.filter(~Exists(restrictions_above(path="page__path")))
    return (
        Correction.objects.as_approved()
        .annotate(
            article_slug=Subquery(documents.values("slug")[:1]),
            article_title=Subquery(documents.values("title")[:1]),
        )
        .filter(article_slug__isnull=False)
        .order_by("-published_at", "-pk")
    )


def authors_public():
    """Authors credited on at least one public article."""
    return (
        Author.objects.filter(Exists(articles_public().filter(author=OuterRef("pk"))))
        .select_related("photo")
        .prefetch_related(_photo_renditions("photo"))
        .order_by("name", "pk")
    )


def reviewers_public():
    """Clinicians credited as the medical reviewer of at least one public article."""
    return (
        MedicalReviewer.objects.filter(
            Exists(articles_public().filter(medical_reviewer=OuterRef("pk")))
        )
        .select_related("photo")
        .prefetch_related(
            _photo_renditions("photo"),
            "specialties",
            # The latest declaration only: what readers are shown.
            Prefetch(
                "declarations",
                queryset=InterestDeclaration.objects.order_by("-declared_at", "-pk")[:1],
                to_attr="latest_declarations",
            ),
            "latest_declarations__interests__topics",
        )
        .order_by("name", "pk")
    )


def topics_public():
    """Topics of public articles, each with `article_count`: how many public articles it has."""
    public = Q(articles__in=articles_public().values("pk"))
    return (
        Topic.objects.annotate(article_count=Count("articles", filter=public))
        .filter(article_count__gt=0)
        .prefetch_related("specialties")
        .order_by("name", "pk")
    )


def article_preview(*, token):
    """The draft article a valid preview token was issued for (see `api.previews`)."""
    return previews.preview_page(model=ArticlePage, token=token)


def _photo_renditions(photo_path):
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        f"{photo_path}__renditions",
        queryset=rendition_model.objects.filter(filter_spec=PHOTO_FILTER),
        to_attr="prefetched_renditions",
    )
