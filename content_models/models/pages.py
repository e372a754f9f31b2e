from django import forms
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from content_models.blocks import ArticleBodyBlock, KeyTakeawaysBlock
from workflows.gate import ClinicalGateMixin


class ArticleIndexPage(Page):
    """The parent of every article (``/articles/`` in the demo site)."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content_models.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = "Article index"


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        submitting = "action-submit" in self.data or "action-restart-workflow" in self.data
        if submitting and not cleaned_data.get("medical_reviewer"):
            self.add_error(
                "medical_reviewer",
                "Choose the medical reviewer before submitting: only they can approve "
                "this article. You can save a draft without one.",
            )
        return cleaned_data


class ArticlePage(HeadlessPreviewMixin, ClinicalGateMixin, Page):
    """A health article: it goes live only with its assigned clinician's approval."""

    summary = models.TextField(
        max_length=400, help_text="The teaser shown in article lists (one or two sentences)."
    )
    key_takeaways = StreamField(
        KeyTakeawaysBlock(),
        blank=True,
        help_text="Two to four short statements a reader should remember.",
    )
    body = StreamField(ArticleBodyBlock())
    topics = ParentalManyToManyField("content_models.Topic", blank=True, related_name="articles")
    author = models.ForeignKey(
        "content_models.Author", on_delete=models.PROTECT, related_name="articles"
    )
    medical_reviewer = models.ForeignKey(
        "content_models.MedicalReviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The clinician who must approve this article. Required before submitting.",
    )

    # Review metadata: written only by the clinical workflow, from the approval
    # of the content that is live (see apply_approval).
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        "content_models.MedicalReviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    next_review_due = models.DateField(null=True, blank=True, editable=False, db_index=True)

    # What the clinician vouches for: a change to any of these needs a new approval.
    reviewed_fields = (
        "title",
        "seo_title",
        "search_description",
        "summary",
        "key_takeaways",
        "body",
        "topics",
        "author",
        "medical_reviewer",
    )

    base_form_class = ArticlePageForm

    content_panels = Page.content_panels + [
        FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 3})),
        FieldPanel("key_takeaways"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("medical_reviewer"), FieldPanel("topics")],
            heading="Credits and topics",
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewed_at", read_only=True),
                FieldPanel("reviewed_by", read_only=True),
                FieldPanel("next_review_due", read_only=True),
            ],
            heading="Medical review (set by the workflow)",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("author", [index.SearchField("name")]),
        index.RelatedFields("medical_reviewer", [index.SearchField("name")]),
        index.FilterField("author"),
        index.FilterField("medical_reviewer"),
    ]

    parent_page_types = ["content_models.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Article"

    def apply_approval(self, approval):
        self.reviewed_at = approval.approved_at
        self.reviewed_by_id = approval.reviewer_profile_id
        self.next_review_due = approval.next_review_due

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    def get_takeaways(self):
        return [str(block.value) for block in self.key_takeaways]
