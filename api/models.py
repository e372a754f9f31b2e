"""Delivery documents: each live article's API representations, written once.

The gate writes an article's document in the transaction that changes what
readers see (see `api.documents`), so the API serves a detail with one indexed
query and a list page with two (the page and its count), without rendering a
StreamField per request. A document is a cache of the live row, never a source
of truth: what is public is still decided by `api.selectors`, which joins each
document to its live page.
"""

from django.db import models

from .keys import DeliveryKey  # noqa: F401  (a model of this app, defined with its services)


class ArticleDocument(models.Model):
    """The rendered JSON of one live article, with the columns lists filter and order on.

    The columns keep the names of the article's own fields, so the article
    list's filters and orderings read the same on either.
    """

    article = models.OneToOneField(
        "content_models.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="delivery_document",
    )
    # The article's own row in Wagtail's page tree (the same id), joined directly: the
    # public rule (`api.selectors.article_documents`) reads its ``live`` and ``path``,
    # and joining the article's table on the way cost PostgreSQL as much planning as
    # the rest of a search's statement. No column: it reads ``article_id``.
    page = models.ForeignObject(
        "wagtailcore.Page",
        on_delete=models.DO_NOTHING,
        from_fields=["article"],
        to_fields=["id"],
        related_name="+",
    )
    slug = models.SlugField(max_length=255, db_index=True)
    title = models.CharField(max_length=255)
    # Never null, so that the list's orderings read straight off their indexes.
    first_published_at = models.DateTimeField()
    last_published_at = models.DateTimeField()
    reviewed_at = models.DateTimeField()
    next_review_due = models.DateField(null=True)
    author = models.ForeignKey("content_models.Author", on_delete=models.CASCADE, related_name="+")
    medical_reviewer = models.ForeignKey(
        "content_models.MedicalReviewer",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    topics = models.ManyToManyField("content_models.Topic", related_name="+")
    summary = models.TextField(help_text="The article's list item, as JSON.")
    detail = models.TextField(help_text="The whole article, as JSON.")
    # Indexed by the database itself (`api.search`): a tsvector column on PostgreSQL,
    # an FTS5 table on SQLite, both kept by the database with every write of this row.
    search_text = models.TextField(
        default="", help_text="The words of the document a search matches (`api.search`)."
    )
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # One per ordering of the article list (`api.selectors.ARTICLE_ORDERINGS`).
            models.Index(fields=["-first_published_at", "-article"], name="api_document_newest"),
            models.Index(fields=["first_published_at", "article"], name="api_document_oldest"),
            models.Index(fields=["title", "article"], name="api_document_title"),
            models.Index(fields=["-reviewed_at", "-article"], name="api_document_reviewed"),
        ]

    def __str__(self):
        return f"Delivery document of {self.title}"


class DocumentDependency(models.Model):
    """Something a document shows that is not the article itself.

    When that thing changes (a linked article goes or changes its title, an
    image is replaced, a byline is edited), every document that depends on it is
    rebuilt: removals in the same transaction, a saved person, topic or image by
    the task worker once the save commits (`api.documents.documents_rewrite_soon`).
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Linked article"
        IMAGE = "image", "Image in the body"
        PHOTO = "photo", "Photo of a person"
        AUTHOR = "author", "Author"
        REVIEWER = "reviewer", "Medical reviewer"
        TOPIC = "topic", "Topic"

    document = models.ForeignKey(
        ArticleDocument, on_delete=models.CASCADE, related_name="dependencies"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "kind", "object_id"], name="api_dependency_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="api_dependency_lookup")]

    def __str__(self):
        return f"{self.document_id} depends on {self.kind} {self.object_id}"
