"""An article's provenance as schema.org structured data (a `MedicalWebPage`)."""

from django.utils import timezone

from .links import article_frontend_path


def medical_web_page(article):
    """The schema.org ``MedicalWebPage`` describing `article`, its author and its review."""
    document = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": article.title,
        "description": article.summary,
        "url": article_frontend_path(slug=article.slug),
        "datePublished": _isoformat(article.first_published_at),
        "dateModified": _isoformat(article.last_published_at),
        "author": {"@type": "Person", "name": article.author.name},
        "about": [{"@type": "Thing", "name": topic.name} for topic in article.topics.all()],
    }
    reviewer = article.reviewed_by or article.medical_reviewer
    if article.reviewed_at is not None and reviewer is not None:
        document["reviewedBy"] = _reviewer(reviewer)
        document["lastReviewed"] = timezone.localdate(article.reviewed_at).isoformat()
    return {key: value for key, value in document.items() if value is not None}


def _reviewer(reviewer):
    person = {
        "@type": "Person",
        "name": reviewer.name,
        "honorificSuffix": reviewer.credentials,
        "jobTitle": reviewer.specialty,
    }
    if reviewer.organization:
        person["affiliation"] = {"@type": "Organization", "name": reviewer.organization}
    return person


def _isoformat(moment):
    return moment.isoformat() if moment is not None else None
