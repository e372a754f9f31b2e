"""An article's API representations, composed from its reader document.

The detail is the reader document (`reader.document`) as the approval keeps
it, plus bookkeeping (id, dates, the approval's review dates, JSON-LD derived
from both), the bios and photos that `reader.document.NOT_CLINICAL` lists, and
the corrections log (`workflows.corrections`), each note as the approved
document that carried it had it.
Nothing here renders article content: every word a reader reads comes from the
document.
"""

from django.utils import timezone
from rest_framework import fields

from reader.images import person_photo
from reader.sources import related_or_none
from workflows.corrections import (
    Correction,
    correction_note,
    corrections_shown,
    note_published,
)
from workflows.rules import review_overdue

from .json_ld import medical_web_page

_MOMENT = fields.DateTimeField()
_DAY = fields.DateField()


def article_representations(
    *, article, document, published_at, updated_at, reviewed_at, next_review_due, corrections
):
    """``(summary, detail)`` of `article` showing `document`, as plain data; `corrections`
    are its log's, as `workflows.corrections.corrections_shown` gives them."""
    author = document["author"] or {}
    reviewer = document["medical_reviewer"]
    summary = {
        "id": article.pk,
        "slug": document["slug"],
        "title": document["title"],
        "summary": document["summary"],
        "published_at": _moment(published_at),
        "updated_at": _moment(updated_at),
        "author": {"name": author.get("name", ""), "slug": author.get("slug", "")},
        "medical_reviewer": (
            {key: reviewer[key] for key in ("name", "slug", "credentials")} if reviewer else None
        ),
        "reviewed_at": _moment(reviewed_at),
        "topics": document["topics"],
    }
    detail = {
        **summary,
        "seo_title": document["seo_title"],
        "search_description": document["search_description"],
        "author": {**summary["author"], **_not_clinical(related_or_none(article, "author"))},
        "medical_reviewer": (
            {**reviewer, **_not_clinical(related_or_none(article, "medical_reviewer"))}
            if reviewer
            else None
        ),
        "key_takeaways": document["key_takeaways"],
        "body": document["body"],
        "medical_review": _medical_review(reviewed_at, next_review_due),
        "corrections": corrections,
        "json_ld": medical_web_page(
            document=document,
            published_at=published_at,
            updated_at=updated_at,
            reviewed_at=reviewed_at,
            corrections=corrections,
        ),
    }
    return summary, detail


def article_preview(article):
    """The detail of a draft `article`, rendered as readers would get it today: its
    correction, if it carries a new one of an article readers have seen, as if it went
    live now (`workflows.corrections.corrections_record` decides the same way)."""
    document = article.reader_document()
    recorded = list(Correction.objects.as_approved().filter(page_id=article.pk))
    corrections = corrections_shown(recorded)
    note = correction_note(document)
    if note and article.first_published_at is not None and not note_published(note, recorded):
        corrections.insert(0, {"date": timezone.localdate().isoformat(), "note": note})
    _summary, detail = article_representations(
        article=article,
        document=document,
        published_at=article.first_published_at,
        updated_at=article.last_published_at,
        reviewed_at=article.reviewed_at,
        next_review_due=article.next_review_due,
        corrections=corrections,
    )
    return detail


def _not_clinical(person):
    """The parts of a byline no approval binds (`reader.document.NOT_CLINICAL`)."""
    if person is None:
        return {"bio": "", "photo": None}
    return {"bio": person.bio, "photo": person_photo(person)}


def _medical_review(reviewed_at, next_review_due):
    if reviewed_at is None:
        return None
    return {
        "reviewed_at": _moment(reviewed_at),
        "next_review_due": _DAY.to_representation(next_review_due) if next_review_due else None,
        "status": "overdue" if review_overdue(next_review_due) else "current",
    }


def _moment(value):
    return _MOMENT.to_representation(value) if value is not None else None
