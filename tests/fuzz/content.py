"""The content the fuzzer runs against: public articles beside everything that must stay hidden.

Every hidden piece (a draft, an edit nobody approved, an unpublished and a
private article, and the people and topics only they credit) has "Leviathan"
in its name and a slug starting "hidden-"; no response outside a valid preview
may contain either, except a slug the request itself sent (an error message
names the bad value). The slugs are among the values the fuzzer mixes into
what it generates, so it does try to reach them.
"""

import datetime

from django.utils import timezone

from tests.api.helpers import (
    image,
    latest_draft,
    live_row_backdate,
    page_link,
    paragraph,
    preview_token,
    private_article,
    unapproved_edit,
    unpublished_article,
)
from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    article_draft,
    published_article,
    published_correction,
)
from tests.factories import body as article_body

HIDDEN_MARKER = "leviathan"

PUBLIC = {
    "article": ["what-is-her2", "mammograms", "overdue-screening"],
    "author": ["ada-writer", "ben-writer"],
    "reviewer": ["rita-md", "sam-do"],
    "topic": ["breast-cancer", "screening"],
}
HIDDEN = {
    "article": ["hidden-draft", "hidden-withdrawn", "hidden-private", "hidden-edit"],
    "author": ["hidden-writer", "hidden-edit-writer"],
    "reviewer": ["hidden-doc", "hidden-edit-doc"],
    "topic": ["hidden-topic", "hidden-edit-topic"],
}


def known_slugs(kind):
    """The slugs of `kind` the fuzzer mixes in: public ones and ones that must stay hidden."""
    return PUBLIC[kind] + HIDDEN[kind]


def fuzz_content():
    """Build the content; return a valid preview token for a draft (the fuzzer mixes it in)."""
    breast_cancer = TopicFactory(name="Breast cancer", slug="breast-cancer")
    screening = TopicFactory(name="Screening", slug="screening")
    ada = AuthorFactory(name="Ada Writer", slug="ada-writer", photo=image(title="Ada"))
    ben = AuthorFactory(name="Ben Writer", slug="ben-writer")
    rita = MedicalReviewerFactory(name="Rita Md", slug="rita-md", photo=image(title="Rita"))
    sam = MedicalReviewerFactory(name="Sam Do", slug="sam-do", organization="")

    hidden_people = {
        "author": AuthorFactory(name="Leviathan Writer", slug="hidden-writer"),
        "medical_reviewer": MedicalReviewerFactory(name="Leviathan Doc", slug="hidden-doc"),
        "topics": [TopicFactory(name="Leviathan topic", slug="hidden-topic")],
    }
    draft = article_draft(
        title="Leviathan draft",
        slug="hidden-draft",
        summary="A leviathan summary.",
        **hidden_people,
    )
    unpublished_article(title="Leviathan withdrawn", slug="hidden-withdrawn", **hidden_people)
    private = private_article(title="Leviathan private", slug="hidden-private", **hidden_people)

    mammograms = published_article(
        title="Mammograms",
        slug="mammograms",
        author=ben,
        medical_reviewer=sam,
        topics=[screening],
    )
    her2 = published_article(
        title="What is HER2?",
        slug="what-is-her2",
        author=ada,
        medical_reviewer=rita,
        topics=[breast_cancer, screening],
        body=_every_block(public=mammograms, hidden=draft),
    )
    overdue = published_article(
        title="Overdue screening",
        slug="overdue-screening",
        author=ada,
        medical_reviewer=sam,
        topics=[screening],
    )
    # The corrections log: one public, and one of a private article that must not show.
    published_correction(mammograms, "An earlier version gave the wrong screening age.")
    published_correction(private, "A leviathan correction of a private article.")
    live_row_backdate(overdue, next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    unapproved_edit(
        her2,
        title="Leviathan edit",
        slug="hidden-edit",
        summary="A leviathan summary nobody approved.",
        body=article_body("Leviathan facts nobody approved."),
        author=AuthorFactory(name="Leviathan Edit Writer", slug="hidden-edit-writer"),
        medical_reviewer=MedicalReviewerFactory(name="Leviathan Edit Doc", slug="hidden-edit-doc"),
        topics=[TopicFactory(name="Leviathan edit topic", slug="hidden-edit-topic")],
    )
    return preview_token(latest_draft(draft))


def _every_block(*, public, hidden):
    """A body with one block of each type; its links to a hidden article must be dropped."""
    picture = image(title="Scan", size=(1600, 900))
    return [
        {"type": "heading", "value": "What it is"},
        paragraph(
            f"<p>See {page_link(public, 'mammograms')} and {page_link(hidden, 'more')}.</p>"
        ),
        {"type": "bullet_list", "value": ["Surgery", "Chemotherapy"]},
        {"type": "read_more", "value": {"article": public.pk, "text": ""}},
        {"type": "read_more", "value": {"article": hidden.pk, "text": ""}},
        {"type": "image", "value": {"image": picture.pk, "alt_text": "A scan", "caption": ""}},
        {
            "type": "callout",
            "value": {"tone": "warning", "title": "", "text": "<p><b>Ask</b> first.</p>"},
        },
        {
            "type": "citation",
            "value": {
                "title": "HER2 testing guideline",
                "source": "ASCO",
                "url": "https://example.org/guideline",
                "doi": "10.1200/JCO.2018.77.8738",
                "pubmed_id": "",
                "accessed": datetime.date(2025, 3, 1),
            },
        },
    ]
