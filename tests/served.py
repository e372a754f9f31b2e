"""What readers are served, compared with what a clinician approved, field by field.

Written against the API's JSON and the approval record's stored document,
never through the gate's or the reader document's own functions.
"""

import json

from django.test import Client

from workflows.models import MedicalApproval

PAGE_FIELDS = (
    "title",
    "slug",
    "summary",
    "seo_title",
    "search_description",
    "key_takeaways",
    "topics",
)
REVIEWER_FIELDS = ("name", "slug", "credentials", "specialty", "organization")


def reader_view(document):
    """The reader-visible part of a detail or an approved document, without block ids."""
    view = {name: document[name] for name in PAGE_FIELDS}
    view["body"] = [{"type": block["type"], "value": block["value"]} for block in document["body"]]
    view["author"] = {name: document["author"][name] for name in ("name", "slug")}
    reviewer = document["medical_reviewer"]
    view["medical_reviewer"] = {name: reviewer[name] for name in REVIEWER_FIELDS}
    return view


def served_detail(slug, client=None):
    """The API's detail of `slug` (None when it is not served)."""
    response = (client or Client(HTTP_HOST="127.0.0.1")).get(f"/api/v1/articles/{slug}/")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def approved_views(page_id):
    """The reader views of every approval of page `page_id`, with who approved each."""
    return [
        (approval, reader_view(approval.document))
        for approval in MedicalApproval.objects.filter(page_id=page_id)
    ]


def served_as_approved(page, client=None):
    """`page` is served exactly as one of its approvals' documents, by that approval's
    reviewer, with that approval's review dates; or it is not served at all."""
    detail = served_detail(page.slug, client)
    if detail is None:
        return None
    served = reader_view(detail)
    matching = [approval for approval, view in approved_views(page.pk) if view == served]
    assert matching, f"{page.slug} is served with a document no clinician approved"
    approval = matching[0]
    assert approval.reviewer_id == page.medical_reviewer.user_id
    assert detail["medical_reviewer"]["name"] == approval.reviewer_name
    assert detail["json_ld"]["reviewedBy"]["name"] == approval.reviewer_name
    # Each correction readers are shown is a note a clinician approved in this article's
    # document.
    approved_notes = {
        record.document.get("correction")
        for record in MedicalApproval.objects.filter(page_id=page.pk)
        if record.document
    }
    assert all(c["note"] in approved_notes for c in detail["corrections"]), detail["corrections"]
    return detail
