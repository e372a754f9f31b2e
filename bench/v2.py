"""Wagtail's own API v2, exposing what Vetted's delivery API exposes.

`ArticlePage` declares no ``api_fields`` (Vetted serves its own API), so the
benchmark gives it the fields of our summary and detail here, at start-up of
the benchmark server only. Related people and topics are nested with plain
DRF serializers, as a Wagtail site would configure v2; everything else is
Wagtail's stock behaviour (its queryset, pagination, search and rich text).
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from content_models.models import ArticlePage, Author, MedicalReviewer, Topic

# What the v2 requests ask for: the same fields as our summary and our detail.
LIST_FIELDS = (
    "summary",
    "first_published_at",
    "author",
    "medical_reviewer",
    "reviewed_at",
    "topics",
)
DETAIL_FIELDS = (*LIST_FIELDS, "key_takeaways", "body", "next_review_due")


class TopicV2Serializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["name", "slug"]


class AuthorV2Serializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["name", "slug", "bio"]


class ReviewerV2Serializer(serializers.ModelSerializer):
    class Meta:
        model = MedicalReviewer
        fields = ["name", "slug", "credentials", "specialty", "organization", "bio"]


def article_api_fields_set():
    ArticlePage.api_fields = [
        APIField("summary"),
        APIField("key_takeaways"),
        APIField("body"),
        APIField("topics", serializer=TopicV2Serializer(many=True, read_only=True)),
        APIField("author", serializer=AuthorV2Serializer(read_only=True)),
        APIField("medical_reviewer", serializer=ReviewerV2Serializer(read_only=True)),
        APIField("reviewed_at"),
        APIField("next_review_due"),
    ]


api_router = WagtailAPIRouter("wagtailapi_v2")
api_router.register_endpoint("pages", PagesAPIViewSet)
