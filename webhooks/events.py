"""The events a webhook endpoint can subscribe to, and the JSON each one carries."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from reader.links import article_frontend_path

PUBLISHED = "article.published"
UNPUBLISHED = "article.unpublished"
REVIEW_OVERDUE = "article.review_overdue"

EVENT_CHOICES = [
    (PUBLISHED, "Published: an article went live, or its live content changed"),
    (UNPUBLISHED, "Unpublished: an article was taken down"),
    (REVIEW_OVERDUE, "Review overdue: a live article was sent back for re-review"),
]
EVENT_TYPES = frozenset(value for value, _label in EVENT_CHOICES)


def iso(value):
    """A date or time as the delivery API writes it (ISO 8601, UTC as "Z"), or None."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def article_data(article):
    """What every event says about the article, as it is at the moment of the event."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "url": article_frontend_path(slug=article.slug),
        "live": article.live,
        "published_at": iso(article.first_published_at),
        "updated_at": iso(article.last_published_at),
        "reviewed_at": iso(article.reviewed_at),
        "next_review_due": iso(article.next_review_due),
    }


def event_body(*, event_id, event_type, created_at, data):
    """The exact bytes-to-be of an event: compact JSON with sorted keys.

    Stored once and sent unchanged on every attempt, so a receiver sees the same
    body (and the same ``id``) however often the delivery is retried.
    """
    document = {"id": event_id, "type": event_type, "created_at": iso(created_at), "data": data}
    return json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
