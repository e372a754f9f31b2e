"""What each endpoint returns, field by field. Read-only: nothing here writes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reader.images import person_photo

from . import schema, selectors


class ImageRenditionSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Absolute address of the rendition.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(help_text="Alternative text for readers who cannot see it.")


class TopicSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class SpecialtySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class TopicSerializer(TopicSummarySerializer):
    description = serializers.CharField()
    article_count = serializers.IntegerField(help_text="How many published articles it has.")
    specialties = SpecialtySerializer(
        many=True, help_text="The specialties whose reviewers review articles on this topic."
    )


class AuthorSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class AuthorSerializer(AuthorSummarySerializer):
    bio = serializers.CharField()
    photo = serializers.SerializerMethodField()

    @extend_schema_field(ImageRenditionSerializer(allow_null=True))
    def get_photo(self, author):
        return person_photo(author)


class ReviewerSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    credentials = serializers.CharField(help_text='For example "M.D.".')


class ReviewerSerializer(ReviewerSummarySerializer):
    specialty = serializers.CharField()
    organization = serializers.CharField(help_text="Empty when the reviewer gave none.")
    bio = serializers.CharField()
    photo = serializers.SerializerMethodField()

    @extend_schema_field(ImageRenditionSerializer(allow_null=True))
    def get_photo(self, reviewer):
        return person_photo(reviewer)


class DeclaredInterestSerializer(serializers.Serializer):
    organization = serializers.CharField()
    relation = serializers.ChoiceField(
        choices=["employment", "consultancy", "speaker_fees", "research_funding", "shares"]
    )
    relation_label = serializers.CharField(
        source="get_relation_display", help_text='As readers are told it, e.g. "Speaker fees".'
    )
    topics = TopicSummarySerializer(many=True, help_text="The topics it concerns.")
    products = serializers.CharField(help_text="Products or treatments it concerns, if any.")
    started = serializers.DateField()
    ended = serializers.DateField(allow_null=True, help_text="Null while it lasts.")


class ReviewerProfileSerializer(ReviewerSerializer):
    """A reviewer as their own page shows them: with specialties and declared interests."""

    specialties = SpecialtySerializer(many=True)
    interests_declared_at = serializers.SerializerMethodField(
        help_text="When the reviewer last declared their interests; null if never."
    )
    declared_interests = serializers.SerializerMethodField(
        help_text="The interests of that declaration, ended ones included with their end "
        "date; empty when there is nothing to declare."
    )

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_interests_declared_at(self, reviewer):
        declaration = _latest_declaration(reviewer)
        return (
            None
            if declaration is None
            else serializers.DateTimeField().to_representation(declaration.declared_at)
        )

    @extend_schema_field(DeclaredInterestSerializer(many=True))
    def get_declared_interests(self, reviewer):
        declaration = _latest_declaration(reviewer)
        interests = [] if declaration is None else declaration.interests.all()
        return DeclaredInterestSerializer(interests, many=True).data


def _latest_declaration(reviewer):
    # Prefetched by `selectors.reviewers_public`.
    declarations = getattr(reviewer, "latest_declarations", None)
    if declarations is None:
        declarations = reviewer.declarations.order_by("-declared_at", "-pk")[:1]
    return next(iter(declarations), None)


class MedicalReviewSerializer(serializers.Serializer):
    reviewed_at = serializers.DateTimeField(help_text="When the live text was approved.")
    next_review_due = serializers.DateField()
    status = serializers.ChoiceField(
        choices=["current", "overdue"], help_text="`overdue` once `next_review_due` has passed."
    )


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day the corrected text went live.")
    note = serializers.CharField(
        help_text="What the earlier version got wrong, as the medical reviewer approved it."
    )


class CorrectedArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="As it reads now.")


class CorrectionEntrySerializer(CorrectionSerializer):
    """A correction in the log, with the article it corrected (`selectors.corrections_public`)."""

    article = serializers.SerializerMethodField()

    @extend_schema_field(CorrectedArticleSerializer)
    def get_article(self, correction):
        return {
            "id": correction.page_id,
            "slug": correction.article_slug,
            "title": correction.article_title,
        }


class ArticleSummarySerializer(serializers.Serializer):
    """An article in a list. Documents the shape: `api.delivery` composes the data."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    author = AuthorSummarySerializer()
    medical_reviewer = ReviewerSummarySerializer()
    reviewed_at = serializers.DateTimeField(help_text="When the live text was approved.")
    topics = TopicSummarySerializer(many=True)


@extend_schema_field(schema.BODY_BLOCKS)
class BodyField(serializers.JSONField):
    pass


@extend_schema_field(schema.JSON_LD)
class JsonLdField(serializers.JSONField):
    pass


class ArticleDetailSerializer(ArticleSummarySerializer):
    """An article in full: its approved reader document, bookkeeping, and bios and photos."""

    seo_title = serializers.CharField(help_text="The page title for search engines, if set.")
    search_description = serializers.CharField(help_text="The description for search engines.")
    key_takeaways = serializers.ListField(child=serializers.CharField())
    body = BodyField()
    author = AuthorSerializer()
    medical_reviewer = ReviewerSerializer(
        help_text="Name, credentials, specialty and organisation as the approval recorded them."
    )
    medical_review = MedicalReviewSerializer()
    corrections = CorrectionSerializer(
        many=True,
        help_text="Its published corrections, newest first (empty for none). "
        "Every correction of every article: /api/v1/corrections/.",
    )
    json_ld = JsonLdField()


class ArticlePreviewSerializer(ArticleDetailSerializer):
    """A draft in the shape of a full article; what a draft may lack is null."""

    id = serializers.IntegerField(allow_null=True, help_text="Null for a page not saved yet.")
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    medical_reviewer = ReviewerSerializer(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    medical_review = MedicalReviewSerializer(allow_null=True)


class PreviewParametersSerializer(serializers.Serializer):
    content_type = serializers.ChoiceField(
        choices=[selectors.PREVIEW_CONTENT_TYPE],
        help_text="The kind of page previewed, as the Preview button gives it.",
    )
    # A signed token as wagtail-headless-preview writes it (``id=5:<time>:<signature>``,
    # or ``parent_id=…;page_type=…:…``); anything else cannot be one and is a 400.
    token = serializers.RegexField(
        r"^[-A-Za-z0-9_=:;.]+$",
        max_length=255,
        trim_whitespace=False,
        error_messages={"invalid": "This is not a preview token: press Preview again."},
    )


class ApiIndexSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    endpoints = serializers.DictField(
        child=serializers.URLField(), help_text="Each endpoint's address, by name."
    )
