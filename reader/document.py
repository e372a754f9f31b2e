"""The reader document of an article, and its fingerprint.

`reader_document(article, sources=…)` is everything a reader reads as the
article: the API's detail is this document plus bookkeeping (id, dates, the
approval's review dates, JSON-LD derived from both) and what `NOT_CLINICAL`
lists. Rendered from a revision's content and a sources snapshot, it is what
the clinician is shown, what the fingerprint hashes, what the approval keeps
and what readers are served.
"""

import hashlib
import json
from html import escape

from .body import body_items
from .links import article_frontend_prefix

# What readers see beside the document, bound by no approval: a change to one of
# these reaches live articles at once (each change is logged where it is made).
# Everything else a reader sees is in the document.
NOT_CLINICAL = (
    ("author", "bio"),
    ("author", "photo"),
    ("medical_reviewer", "bio"),
    ("medical_reviewer", "photo"),
)


def reader_document(article, *, sources):
    """`article` (a live row or a revision's content) as readers get it, with `sources`."""
    topic_ids = sorted(str(topic.pk) for topic in article.topics.all())
    # A topic the snapshot does not hold was added after it: not the approved document.
    topics = [
        sources["topics"].get(pk, {"name": "", "slug": "", "unreviewed": pk}) for pk in topic_ids
    ]
    document = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "seo_title": article.seo_title,
        "search_description": article.search_description,
        "key_takeaways": [
            item["value"] if isinstance(item, dict) else item
            for item in article.key_takeaways.raw_data
        ],
        "body": body_items(article.body, sources=sources),
        "topics": sorted(topics, key=lambda topic: (topic["name"], topic["slug"])),
        "author": sources["authors"].get(str(article.author_id)),
        "medical_reviewer": sources["reviewers"].get(str(article.medical_reviewer_id)),
    }
    note = article.correction_note.strip() if article.change_kind == "correction" else ""
    if note:
        # Public with the date this document goes live (`workflows.corrections`); a key
        # only then, so the documents of every other change read as they always have.
        document["correction"] = note
    return document


def document_fingerprint(document):
    """A SHA-256 of `document` exactly as readers get it.

    Nothing a reader reads is normalised: two documents that differ in any
    character of their text differ in fingerprint. Left out are what is
    bookkeeping or deployment, not content: body block ids (never shown), where
    the frontend and the media storage are (an article link is bound by the
    article's slug, an image by the hash of its file and its size), so moving
    either does not unbind every approval.
    """
    payload = json.dumps(
        {**document, "body": [_canonical_block(block) for block in document["body"]]},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _canonical_block(block):
    kind, value = block["type"], block["value"]
    if kind == "paragraph":
        value = _canonical_links(value)
    elif kind == "callout":
        value = {**value, "text": _canonical_links(value["text"])}
    elif kind == "read_more":
        value = {key: item for key, item in value.items() if key != "path"}
    elif kind == "image":
        value = {key: item for key, item in value.items() if key != "url"}
    return {"type": kind, "value": value}


def _canonical_links(html):
    base = escape(article_frontend_prefix())
    return html.replace(f'<a href="{base}', '<a href="{article}')
