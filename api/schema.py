"""OpenAPI descriptions of what is built outside serializers: body blocks, JSON-LD, errors."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers

API_PREFIX = "/api/v1/"


API_DESCRIPTION = """
Read-only access to published health articles. Every article here went live with
exactly the text its assigned clinician approved; drafts, edits awaiting review and
unpublished articles never appear in any endpoint, filter, search or count.

**People and topics.** An author, medical reviewer or topic is listed (and can be
fetched by slug) while at least one published article credits it; `article_count`
counts published articles only.

**Lists.** Every list is paginated: `page` from 1, `page_size` from 1 to 100
(default 20), in the envelope `{"count", "next", "previous", "results"}`;
`next` and `previous` are the path and query of the neighbouring pages, on the
host you asked (`/api/v1/articles/?page=2`), or null.
`topic`, `author` and `reviewer` take a slug, as listed by the matching endpoint;
one that no public article has lists nothing (a topic whose last article was
withdrawn, say), and a malformed one is a 400. `search` (at most 200 characters)
narrows the list and `ordering` still orders it; "quoted words" search for a phrase.

**Errors.** A malformed parameter gets a 400 whose body names each parameter and
what is wrong with it; a well-formed filter slug that nothing public has matches
nothing (200, empty list); an unknown slug or path gets a 404 `{"detail": …}`.
Times are ISO 8601 with a timezone.

**Caching.** Responses carry `Cache-Control: public, max-age=…` (a few seconds for
a 404) and an ETag that is a hash of the body; send it back in `If-None-Match` for
a 304. No `Last-Modified` is sent: a representation can change with no date in it
moving. Each response names what it shows in `xkey`, `Surrogate-Key` and
`Cache-Tag` headers, by which the CDN in front is purged.

**Keys and rate limits.** Anonymous clients may make a set number of requests per
minute from each address. A server-side frontend, which asks for all of its readers
from one address, sends `Authorization: Bearer vtd_…` with a delivery key from the
CMS's administrators instead, and is limited per key at the key's own rate. An
unknown, revoked or malformed key gets a 401 that says so, never anonymous access.
Beyond a limit the answer is a 429 with `Retry-After`. Responses are the same with
a key or without.

**Preview.** `/api/v1/preview/` takes the `content_type` and `token` the editor's
Preview button hands the preview client. Tokens are signed, expire after a few
minutes and show only the draft they were issued for; responses are never cached.
""".strip()


def api_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: document the delivery API, not the admin's views."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def api_description(result, **kwargs):
    """drf-spectacular postprocessing hook: the conventions every endpoint shares."""
    result["info"]["description"] = API_DESCRIPTION
    for operations in result["paths"].values():
        for operation in operations.values():
            if any(DELIVERY_KEY in option for option in operation.get("security", [])):
                operation["responses"].setdefault("401", KEY_REFUSED)
    return result


DELIVERY_KEY = "deliveryKey"
KEY_REFUSED = {
    "description": "The delivery key sent is unknown, revoked or malformed; `detail` says "
    "which and what to do. Send a valid key, or none to read anonymously.",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class DeliveryKeyScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <key>``: optional on every endpoint (``{}`` is the other
    option, since the API is open to anonymous clients)."""

    target_class = "api.authentication.DeliveryKeyAuthentication"
    name = DELIVERY_KEY

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "vtd_…",
            "description": "A delivery key for a server-side frontend, issued in the CMS's "
            "admin. Requests with it are limited per key, at the key's own rate, instead "
            "of per address. Optional: without it the API is read anonymously.",
        }


# --- Body blocks ----------------------------------------------------------------


class _BlockSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True, help_text="Stable id of the block.")


class HeadingBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["heading"])
    value = serializers.CharField(help_text="A section title.")


class ParagraphBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["paragraph"])
    value = serializers.CharField(help_text="Safe HTML; links to articles use frontend paths.")


class BulletListBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["bullet_list"])
    value = serializers.ListField(child=serializers.CharField())


class ReadMoreValueSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    path = serializers.CharField(help_text="The article's address on the frontend.")
    text = serializers.CharField(help_text="The link text (the article's title by default).")


class ReadMoreBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["read_more"])
    value = ReadMoreValueSerializer()


class ImageValueSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()
    caption = serializers.CharField(allow_null=True)
    file_hash = serializers.CharField(
        help_text="SHA-1 of the image file: it changes whenever the picture does."
    )


class ImageBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["image"])
    value = ImageValueSerializer()


class CalloutValueSerializer(serializers.Serializer):
    tone = serializers.ChoiceField(choices=["info", "tip", "warning"])
    title = serializers.CharField(allow_null=True)
    text = serializers.CharField(help_text="Safe HTML.")


class CalloutBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["callout"])
    value = CalloutValueSerializer()


class CitationValueSerializer(serializers.Serializer):
    title = serializers.CharField()
    source = serializers.CharField()
    url = serializers.URLField(allow_null=True)
    doi = serializers.CharField(allow_null=True)
    pubmed_id = serializers.CharField(allow_null=True)
    accessed = serializers.DateField(allow_null=True)


class CitationBlockSerializer(_BlockSerializer):
    type = serializers.ChoiceField(choices=["citation"])
    value = CitationValueSerializer()


BODY_BLOCKS = PolymorphicProxySerializer(
    component_name="BodyBlock",
    serializers={
        "heading": HeadingBlockSerializer,
        "paragraph": ParagraphBlockSerializer,
        "bullet_list": BulletListBlockSerializer,
        "read_more": ReadMoreBlockSerializer,
        "image": ImageBlockSerializer,
        "callout": CalloutBlockSerializer,
        "citation": CitationBlockSerializer,
    },
    resource_type_field_name="type",
    many=True,
)

# --- JSON-LD ---------------------------------------------------------------------

_PERSON = {
    "type": "object",
    "properties": {
        "@type": {"type": "string", "enum": ["Person"]},
        "name": {"type": "string"},
        "honorificSuffix": {"type": "string"},
        "jobTitle": {"type": "string"},
        "affiliation": {
            "type": "object",
            "properties": {
                "@type": {"type": "string", "enum": ["Organization"]},
                "name": {"type": "string"},
            },
            "required": ["@type", "name"],
        },
    },
    "required": ["@type", "name"],
}

JSON_LD = {
    "type": "object",
    "description": "A schema.org MedicalWebPage. `reviewedBy` and `lastReviewed` are present "
    "on every published article (a draft that was never reviewed has neither).",
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["MedicalWebPage"]},
        "headline": {"type": "string"},
        "description": {"type": "string"},
        "url": {"type": "string"},
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "author": _PERSON,
        "reviewedBy": _PERSON,
        "lastReviewed": {"type": "string", "format": "date"},
        "about": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "@type": {"type": "string", "enum": ["Thing"]},
                    "name": {"type": "string"},
                },
                "required": ["@type", "name"],
            },
        },
    },
    "required": ["@context", "@type", "headline", "description", "url", "author", "about"],
}

# --- Errors and HTTP headers -------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


INVALID_PARAMETERS = OpenApiResponse(
    response={
        "type": "object",
        "description": "Each bad query parameter, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="A query parameter is not valid.",
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Nothing public by that name.")
NOT_MODIFIED = OpenApiResponse(description="Not modified: the If-None-Match ETag still matches.")
TOO_MANY_REQUESTS = OpenApiResponse(
    ErrorSerializer,
    description="Too many requests from this address, or with this delivery key: "
    "retry after the seconds in Retry-After.",
)
NOT_ACCEPTABLE = OpenApiResponse(
    ErrorSerializer,
    description="The Accept header rules out JSON: ask for application/json, or send none.",
)

CACHE_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        location=OpenApiParameter.HEADER,
        description="An ETag from an earlier response: 304 Not Modified if it still matches.",
    ),
    OpenApiParameter(
        "ETag",
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        description="A hash of the response body.",
    ),
    OpenApiParameter(
        "Cache-Control",
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        description="`public, max-age=…`: how long shared caches may keep the response.",
    ),
]


# Where a list continues past its numbered pages (`api.lists`, `api.pagination`).
AFTER = OpenApiParameter(
    "after",
    {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 600},
    description="Where to continue the list: the value a `next` link carries past the "
    "numbered pages (the first 10,000 results), as given; any other is a 404. With "
    "`page`, pages count from this position.",
    required=False,
)


def list_endpoint(*, summary, item, parameters=()):
    """The schema of a public, paginated list of `item` serializers."""
    return extend_schema(
        summary=summary,
        parameters=[*CACHE_HEADERS, *parameters],
        responses={
            200: item(many=True),
            304: NOT_MODIFIED,
            400: INVALID_PARAMETERS,
            404: OpenApiResponse(ErrorSerializer, description="No such page."),
            406: NOT_ACCEPTABLE,
            429: TOO_MANY_REQUESTS,
        },
    )


def detail_endpoint(*, summary, item):
    """The schema of one public object, looked up by slug."""
    return extend_schema(
        summary=summary,
        parameters=CACHE_HEADERS,
        responses={
            200: item,
            304: NOT_MODIFIED,
            404: NOT_FOUND,
            406: NOT_ACCEPTABLE,
            429: TOO_MANY_REQUESTS,
        },
    )
