from django import forms
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from content_models.blocks import ArticleBodyBlock, KeyTakeawaysBlock
from reader.document import document_fingerprint, reader_document
from reader.sources import sources_read, sources_withdrawn
from workflows import rules
from workflows.gate import ClinicalGateMixin
from workflows.rules import review_overdue

CORRECTION_NOTE_MAX_LENGTH = 500


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
    reviewer_choice_reason = forms.CharField(
        required=False,
        label="Why this reviewer?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the reviewer's specialties do not cover the article's "
        "topics. Kept in the page history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("medical_reviewer")
        if field is not None:
            # Imported here: the choices read the models this module defines.
            from content_models.reviewer_choice import reviewer_choices

            field.widget.choices = reviewer_choices(self._topics_shown())
            # Where the list is read again as topics are ticked (``reviewer_choice.js``).
            field.widget.attrs["data-choices-url"] = reverse("reviewer_choices")
        kind = self.fields.get("change_kind")
        page = self.instance
        if kind is not None and (page.pk is None or page.first_published_at is None):
            # Readers have seen nothing to correct or update: the panel is not shown.
            del self.fields["change_kind"], self.fields["correction_note"]
        elif kind is not None:
            kind.choices = [("", "Not said yet")] + list(ArticlePage.ChangeKind.choices)
            if not self.is_bound and page.live and not page.has_unpublished_changes:
                # What it says is the change now live: the next change says what it is.
                self.initial["change_kind"] = self.initial["correction_note"] = ""

    def _topics_shown(self):
        """The topics the form shows: as posted (a form sent back with an error), else saved."""
        topics = self.instance.topics.all()
        if self.is_bound and "topics" in self.fields:
            values = (
                self.data.getlist("topics")
                if hasattr(self.data, "getlist")
                else self.data.get("topics") or []
            )
            posted = [pk for pk in values if str(pk).isdigit()]
            topics = self.fields["topics"].queryset.filter(pk__in=posted)
        return topics

    def clean(self):
        cleaned_data = super().clean()
        submitting = "action-submit" in self.data or "action-restart-workflow" in self.data
        if submitting and not cleaned_data.get("medical_reviewer"):
            self.add_error(
                "medical_reviewer",
                "Choose the medical reviewer before submitting: only they can approve "
                "this article. You can save a draft without one.",
            )
        self._reviewer_choice_check(cleaned_data)
        self._change_kind_check(cleaned_data, submitting=submitting)
        return cleaned_data

    def _change_kind_check(self, cleaned_data, *, submitting):
        """A change of an article readers have seen says what it is before it is submitted;
        only a correction has a public note, and a correction must have one."""
        if "change_kind" not in self.fields:
            # Never published (see __init__): nothing to correct, whatever a copy carried.
            self.instance.change_kind = self.instance.correction_note = ""
            return
        kind = cleaned_data.get("change_kind", "")
        note = (cleaned_data.get("correction_note") or "").strip()
        cleaned_data["correction_note"] = note
        correction = ArticlePage.ChangeKind.CORRECTION
        if kind == correction and not note:
            self.add_error(
                "correction_note",
                "A correction is published with a note saying what the earlier version got "
                "wrong (e.g. “An earlier version gave the wrong starting dose”). Write it, "
                "or mark the change as an update.",
            )
        elif note and kind != correction:
            self.add_error(
                "correction_note",
                "Only a correction has a public note: mark the change as a correction, or "
                "clear the note.",
            )
        elif submitting and not kind:
            self.add_error(
                "change_kind",
                "Readers have seen this article: say whether this change corrects an error "
                "(a correction, published with its note) or is an update, then submit.",
            )

    def _reviewer_choice_check(self, cleaned_data):
        """A lapsed reviewer cannot be newly chosen; one whose specialties do not cover the
        topics can, with a reason (kept in the history by `reviewer_choice_log`)."""
        from content_models.reviewer_choice import reviewer_covers

        reviewer, topics = cleaned_data.get("medical_reviewer"), cleaned_data.get("topics")
        self.instance._reviewer_choice_reason = None
        if reviewer is None or not ({"medical_reviewer", "topics"} & set(self.changed_data)):
            return
        if "medical_reviewer" in self.changed_data and not reviewer.credentials_valid_on():
            self.add_error(
                "medical_reviewer",
                f"{reviewer.name}'s credentials verification lapsed on "
                f"{reviewer.credentials_verified_until:%d %B %Y}, so they cannot approve "
                "this article. Choose another reviewer, or ask an editor to record the "
                "renewed verification first.",
            )
            return
        conflict = topics and rules.interest_conflict_on_topics(reviewer=reviewer, topics=topics)
        if conflict:
            self.add_error(
                "medical_reviewer",
                f"{reviewer.name} has declared an interest ({conflict.organization}) in "
                "one of this article's topics, so they cannot approve it. Choose another "
                "reviewer.",
            )
            return
        if not topics or reviewer_covers(reviewer, topics):
            return
        reason = cleaned_data.get("reviewer_choice_reason", "").strip()
        if not reason:
            wanted = sorted(
                {s.name for topic in topics for s in topic.specialties.all()}
                - {s.name for s in reviewer.specialties.all()}
            )
            self.add_error(
                "reviewer_choice_reason",
                f"{reviewer.name}'s specialties do not cover this article's topics "
                f"(they need {', '.join(wanted)}). Say why they should review it, or "
                "choose one of the suggested reviewers.",
            )
            return
        self.instance._reviewer_choice_reason = {
            "reviewer": reviewer.byline,
            "reviewer_id": reviewer.pk,
            "topics": [topic.name for topic in topics],
            "reason": reason,
        }

    def has_changed(self):
        """Whether the edit changes anything, as Wagtail asks before saving a revision.

        Re-saving an article can change only the rich-text editor's bookkeeping
        (its block keys), which readers never get. Such a save is no change: no
        new revision, so an approval given from the edit page is not undone by
        a revision that differs from the approved one in nothing a reader gets.
        """
        return super().has_changed() and not self._changes_only_bookkeeping()

    def _changes_only_bookkeeping(self):
        page = self.instance
        if page.pk is None or self.errors or any(f.has_changed() for f in self.formsets.values()):
            return False
        # Many-to-many choices reach the instance only when the form is saved.
        if not set(self.changed_data) <= set(page.gated_fields) - {"topics"}:
            return False
        before = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
        return document_fingerprint(before.reader_document()) == document_fingerprint(
            page.reader_document()
        )


class ArticleCopyForm(CopyForm):
    """Copying an article: the copy starts as a draft whatever "publish copies" says.

    An approval belongs to one article; the copy needs its own review. The
    admin tells the person copying so (`workflows.wagtail_hooks`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        publish_copies = self.fields.get("publish_copies")
        if publish_copies is not None:
            publish_copies.help_text = (
                "An article's copy always starts unpublished: it needs its own medical review."
            )

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["publish_copies"] = False
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

    # What this change of a live article is: drafted with it, so the clinician approves the
    # public note with the text it describes (`workflows.corrections`).
    class ChangeKind(models.TextChoices):
        UPDATE = "update", "An update (no error readers saw is corrected)"
        CORRECTION = "correction", "A correction (it fixes an error readers saw)"

    change_kind = models.CharField(
        "What this change is",
        max_length=20,
        choices=ChangeKind.choices,
        blank=True,
        help_text="For an article readers have already seen: needed before submitting.",
    )
    correction_note = models.TextField(
        "Public correction note",
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        blank=True,
        help_text="Shown to readers with the date the correction goes live, e.g. “An earlier "
        "version gave the wrong starting dose for …”. The clinician approves it with the change.",
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

    # What the reader document is rendered from (`reader.document`): a write of any
    # of these to a live row needs an approval of the document it renders.
    gated_fields = (
        "title",
        "slug",
        "seo_title",
        "search_description",
        "summary",
        "key_takeaways",
        "body",
        "topics",
        "author",
        "medical_reviewer",
        "change_kind",
        "correction_note",
    )
    review_metadata_fields = ("reviewed_at", "reviewed_by", "next_review_due")

    base_form_class = ArticlePageForm
    copy_form_class = ArticleCopyForm

    content_panels = Page.content_panels + [
        FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 3})),
        FieldPanel("key_takeaways"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("medical_reviewer", widget=forms.Select),
                FieldPanel("reviewer_choice_reason"),
            ],
            heading="Credits and topics",
        ),
        MultiFieldPanel(
            [
                FieldPanel("change_kind", widget=forms.RadioSelect),
                FieldPanel("correction_note", widget=forms.Textarea(attrs={"rows": 2})),
            ],
            heading="This change (an article already published)",
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
        return review_overdue(self.next_review_due)

    def reader_sources(self):
        """What this article's reader document shows from elsewhere, as it is now."""
        return sources_read(self)

    def reader_document(self, sources=None):
        """This article as readers get it, with `sources` (a snapshot) or as things are now."""
        return reader_document(self, sources=self.reader_sources() if sources is None else sources)

    def reader_sources_withdrawn(self, sources):
        """`sources` less the linked articles and images withdrawn from readers since."""
        return sources_withdrawn(sources, model=type(self))
