"""``POST /api/v1/articles/{slug}/feedback/``: a reader reports a problem with an article.

Anonymous, small, and rate-limited per address and per article; a honeypot
field (``website``) that people never see and bots fill in. Only what the
reader typed is kept (`feedback.models`).
"""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from api import keys, schema, selectors
from api.caching import NeverCacheMixin
from api.throttling import DeliveryThrottle

from .models import MESSAGE_MAX_LENGTH
from .services import report_receive

# The largest request body accepted: the longest message and address, with room.
BODY_MAX_BYTES = 16 * 1024


class ReaderReportSerializer(serializers.Serializer):
    # At least one character that is not a space (the schema's pattern says so too).
    message = serializers.RegexField(
        r"\S",
        max_length=MESSAGE_MAX_LENGTH,
        help_text="What is wrong with the article, in the reader's words.",
        error_messages={"invalid": "Send the message as text saying what is wrong."},
    )
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Where the reviewer may reply, if the reader wants a reply. Optional.",
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=0,
        write_only=True,
        help_text="Leave empty. A field forms hide from people: a report that fills it "
        "is refused as a bot's.",
        error_messages={"max_length": "Leave this field empty."},
    )


class ReaderReportReceivedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The report's number, to quote if you write again.")
    detail = serializers.CharField()


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = (
        f"A report is at most {MESSAGE_MAX_LENGTH} characters: shorten the message and send "
        "it again."
    )
    default_code = "too_large"


class ReportsFromAddressThrottle(SimpleRateThrottle):
    """Reports per client address (``VETTED_FEEDBACK_RATE_PER_ADDRESS``).

    Not for a request with a delivery key: a server-side frontend posts for all its
    readers from one address, and is held to its key's own rate (and the per-article
    limit) instead; it limits its readers itself, as the reference frontend's readers
    are limited here by their own addresses.
    """

    scope = "feedback_address"

    def allow_request(self, request, view):
        if keys.delivery_key_grant(request) is not None:
            return True
        return super().allow_request(request, view)

    def get_rate(self):
        return settings.VETTED_FEEDBACK_RATES["address"]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ReportsOnArticleThrottle(SimpleRateThrottle):
    """Reports per article from everyone (``VETTED_FEEDBACK_RATE_PER_ARTICLE``): a flood
    on one article does not bury the reviewer's queue."""

    scope = "feedback_article"

    def get_rate(self):
        return settings.VETTED_FEEDBACK_RATES["article"]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": view.kwargs["slug"]}


class ArticleFeedbackView(NeverCacheMixin, APIView):
    throttle_classes = [DeliveryThrottle, ReportsFromAddressThrottle, ReportsOnArticleThrottle]

    @extend_schema(
        summary="Report a problem with an article",
        description="Reaches the article's medical reviewer and the editors. Nothing "
        "about the reader is kept but what they type here.",
        request=ReaderReportSerializer,
        responses={
            201: ReaderReportReceivedSerializer,
            400: OpenApiResponse(
                {
                    "type": "object",
                    "description": "Each bad field, with what is wrong with it.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                description="The report is not valid.",
            ),
            404: schema.NOT_FOUND,
            413: OpenApiResponse(schema.ErrorSerializer, description="The report is too long."),
            415: OpenApiResponse(schema.ErrorSerializer, description="Send JSON or a form."),
            429: schema.TOO_MANY_REQUESTS,
        },
        tags=["articles"],
    )
    def post(self, request, slug):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > BODY_MAX_BYTES:
            raise BodyTooLarge()
        article = selectors.articles_public().filter(slug=slug).first()
        if article is None:
            raise NotFound(f"Nothing published has the slug \u201c{slug}\u201d.")
        try:
            data = request.data
        except ParseError as unreadable:
            raise ValidationError(
                {"body": [f'Send the report as JSON, {{"message": "…"}}: {unreadable.detail}']}
            ) from unreadable
        report = ReaderReportSerializer(data=data)
        report.is_valid(raise_exception=True)
        received = report_receive(
            article=article,
            message=report.validated_data["message"],
            email=report.validated_data.get("email", ""),
        )
        return Response(
            {
                "id": received.pk,
                "detail": "Thank you. The article's medical reviewer and the editors will "
                "read your report.",
            },
            status=status.HTTP_201_CREATED,
        )
