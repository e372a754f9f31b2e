"""What each endpoint returns, field by field. Read-only: nothing here writes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import schema, selectors
from .bodies import body_items
from .images import person_photo
from .json_ld import medical_web_page


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
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="last_published_at")
    author = AuthorSummarySerializer()
    medical_reviewer = ReviewerSummarySerializer()
    reviewed_at = serializers.DateTimeField()
    topics = TopicSummarySerializer(many=True, source="topics.all")


class ArticleDetailSerializer(ArticleSummarySerializer):
    key_takeaways = serializers.ListField(child=serializers.CharField(), source="get_takeaways")
    body = serializers.SerializerMethodField()
    author = AuthorSerializer()
    medical_reviewer = ReviewerSerializer()
    medical_review = serializers.SerializerMethodField()
    json_ld = serializers.SerializerMethodField()

    @extend_schema_field(schema.BODY_BLOCKS)
    def get_body(self, article):
        return body_items(article.body)

    @extend_schema_field(MedicalReviewSerializer)
    def get_medical_review(self, article):
        return _medical_review(article)

    @extend_schema_field(schema.JSON_LD)
    def get_json_ld(self, article):
        return medical_web_page(article)


class ArticlePreviewSerializer(ArticleDetailSerializer):
    """A draft in the shape of a full article; what a draft may lack is null."""

    id = serializers.IntegerField(allow_null=True, help_text="Null for a page not saved yet.")
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True)
    updated_at = serializers.DateTimeField(source="last_published_at", allow_null=True)
    medical_reviewer = ReviewerSerializer(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(MedicalReviewSerializer(allow_null=True))
    def get_medical_review(self, article):
        return _medical_review(article)


def _medical_review(article):
    """The review status of `article`'s text, or None if it was never reviewed."""
    if article.reviewed_at is None:
        return None
    review = {
        "reviewed_at": article.reviewed_at,
        "next_review_due": article.next_review_due,
        "status": "overdue" if article.review_overdue else "current",
    }
    return MedicalReviewSerializer(review).data


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
