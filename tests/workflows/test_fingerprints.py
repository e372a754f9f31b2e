from tests.factories import TopicFactory, body
from tests.workflows.admin_forms import PARAGRAPH
from tests.workflows.flow import fresh
from workflows.fingerprints import content_fingerprint


def test_same_text_gives_the_same_fingerprint_from_revision_and_row(article):
    page = fresh(article)
    assert content_fingerprint(page) == content_fingerprint(page.get_latest_revision().as_object())


def test_editor_bookkeeping_does_not_change_the_fingerprint(article):
    page = fresh(article)
    before = content_fingerprint(page)
    page.body = [
        {"type": "heading", "value": "What it is", "id": "another-id"},
        {
            "type": "paragraph",
            "value": f'<p data-block-key="x1y2">{PARAGRAPH}</p>',
            "id": "yet-another-id",
        },
    ]
    assert content_fingerprint(page) == before


def test_any_change_a_reader_would_see_changes_the_fingerprint(article):
    page = fresh(article)
    before = content_fingerprint(page)
    page.body = body("HER2 is a growth receptor found on breast cells!")
    assert content_fingerprint(page) != before


def test_topics_count_but_their_order_does_not(article):
    page = fresh(article)
    first, second = TopicFactory(), TopicFactory()
    before = content_fingerprint(page)
    page.topics = [first, second]
    with_topics = content_fingerprint(page)
    page.topics = [second, first]
    assert with_topics != before
    assert content_fingerprint(page) == with_topics
