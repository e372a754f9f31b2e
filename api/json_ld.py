"""An article's provenance as schema.org structured data (a `MedicalWebPage`)."""

from django.utils import timezone

from reader.links import article_frontend_path


def medical_web_page(*, document, published_at, updated_at, reviewed_at, corrections):
    """The schema.org ``MedicalWebPage`` of a reader `document`, its author and its review.

    Every name in it comes from the document (the reviewer as the approval
    recorded them), every date from the delivery's bookkeeping; `corrections`
    (``[{"date", "note"}]``) are the article's published corrections.
    """
    structured = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": document["title"],
        "description": document["summary"],
        "url": article_frontend_path(slug=document["slug"]),
        "datePublished": _isoformat(published_at),
        "dateModified": _isoformat(updated_at),
        "author": {"@type": "Person", "name": (document["author"] or {}).get("name", "")},
        "about": [{"@type": "Thing", "name": topic["name"]} for topic in document["topics"]],
    }
    if corrections:
        structured["correction"] = [
            {"@type": "CorrectionComment", "text": c["note"], "datePublished": c["date"]}
            for c in corrections
        ]
    reviewer = document["medical_reviewer"]
    if reviewed_at is not None and reviewer is not None:
        structured["reviewedBy"] = _reviewer(reviewer)
        structured["lastReviewed"] = timezone.localdate(reviewed_at).isoformat()
    return {key: value for key, value in structured.items() if value is not None}


def _reviewer(reviewer):
    person = {
        "@type": "Person",
        "name": reviewer["name"],
        "honorificSuffix": reviewer["credentials"],
        "jobTitle": reviewer["specialty"],
    }
    if reviewer["organization"]:
        person["affiliation"] = {"@type": "Organization", "name": reviewer["organization"]}
    return person


def _isoformat(moment):
    return moment.isoformat() if moment is not None else None
