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


class TopicSerializer(TopicSummarySerializer):
    description = serializers.CharField()
    article_count = serializers.IntegerField(help_text="How many published articles it has.")


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


class MedicalReviewSerializer(serializers.Serializer):
    reviewed_at = serializers.DateTimeField(help_text="When the live text was approved.")
    next_review_due = serializers.DateField()
    status = serializers.ChoiceField(
        choices=["current", "overdue"], help_text="`overdue` once `next_review_due` has passed."
    )


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
