"""The fingerprint is of the reader document: what readers get, nothing else, nothing less."""

import json

import pytest

from reader.document import document_fingerprint
from tests.factories import TopicFactory, body
from tests.workflows.admin_forms import PARAGRAPH
from tests.workflows.flow import fresh


def fingerprint(page):
    return document_fingerprint(page.reader_document())


def test_same_text_gives_the_same_fingerprint_from_revision_and_row(article):
    page = fresh(article)
    assert fingerprint(page) == fingerprint(page.get_latest_revision().as_object())


def test_editor_bookkeeping_does_not_change_the_fingerprint(article):
    page = fresh(article)
    before = fingerprint(page)
    page.body = [
        {"type": "heading", "value": "What it is", "id": "another-id"},
        {
            "type": "paragraph",
            "value": f'<p data-block-key="x1y2">{PARAGRAPH}</p>',
            "id": "yet-another-id",
        },
    ]
    assert fingerprint(page) == before


def test_any_change_a_reader_would_see_changes_the_fingerprint(article):
    page = fresh(article)
    before = fingerprint(page)
    page.body = body("HER2 is a growth receptor found on breast cells!")
    assert fingerprint(page) != before


SMUGGLED = ' data-block-key="Take 40 mg twice a day"'


def _heading(text):
    return [{"type": "heading", "value": text}]


def _takeaway(text):
    return [{"type": "takeaway", "value": text}]


def _bullets(text):
    return [{"type": "bullet_list", "value": [{"type": "item", "value": text}]}]


@pytest.mark.parametrize(
    ("field", "shape"),
    [
        ("body", _heading),
        ("key_takeaways", _takeaway),
        ("body", _bullets),
        ("summary", str),
    ],
    ids=["heading", "takeaway", "bullet", "summary"],
)
def test_text_shaped_like_editor_bookkeeping_is_still_text(article, field, shape):
    """Readers get headings, takeaways and list items verbatim, so nothing in them is
    bookkeeping: advice written in the shape of a block key changes the fingerprint."""
    plain, smuggled = fresh(article), fresh(article)
    setattr(plain, field, shape("Rest well"))
    setattr(smuggled, field, shape(f"Rest well{SMUGGLED}"))
    assert "40 mg" in json.dumps(smuggled.reader_document())
    assert fingerprint(smuggled) != fingerprint(plain)


def test_a_string_that_parses_as_json_is_compared_as_the_string_readers_get(article):
    page = fresh(article)
    other = fresh(article)
    page.summary = '["Take 40 mg"]'
    other.summary = '[ "Take 40 mg" ]'
    assert fingerprint(page) != fingerprint(other)


def test_topics_count_but_their_order_does_not(article):
    page = fresh(article)
    first, second = TopicFactory(), TopicFactory()
    before = fingerprint(page)
    page.topics = [first, second]
    with_topics = fingerprint(page)
    page.topics = [second, first]
    assert with_topics != before
    assert fingerprint(page) == with_topics


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "What is HER2, really?"),
        ("slug", "what-is-her2-really"),
        ("seo_title", "HER2 explained"),
        ("search_description", "All about HER2"),
    ],
)
def test_every_page_field_readers_get_is_bound(article, field, value):
    page = fresh(article)
    before = fingerprint(page)
    setattr(page, field, value)
    assert fingerprint(page) != before
