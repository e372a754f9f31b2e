"""Article bodies as frontends receive them, block type by block type."""

import datetime

import pytest

from tests.factories import article_draft, published_article

from .helpers import image, page_link, paragraph, unpublished_article


def body_of(api, slug):
    return api.get(f"/api/v1/articles/{slug}/").json()["body"]


def values(body):
    return [(block["type"], block["value"]) for block in body]


@pytest.fixture
def target():
    return published_article(slug="her2-testing", title="Testing for HER2")


def test_each_block_is_type_value_and_its_stored_id(api):
    page = published_article(slug="blocks")

    body = body_of(api, "blocks")

    assert [block["id"] for block in body] == [block.id for block in page.body]
    assert all(set(block) == {"type", "value", "id"} for block in body)


def test_heading_bullet_list_callout_and_citation(api):
    published_article(
        slug="blocks",
        body=[
            {"type": "heading", "value": "Treatment"},
            {"type": "bullet_list", "value": ["Surgery", "Chemotherapy"]},
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
        ],
    )

    assert values(body_of(api, "blocks")) == [
        ("heading", "Treatment"),
        ("bullet_list", ["Surgery", "Chemotherapy"]),
        ("callout", {"tone": "warning", "title": None, "text": "<p><b>Ask</b> first.</p>"}),
        (
            "citation",
            {
                "title": "HER2 testing guideline",
                "source": "ASCO",
                "url": "https://example.org/guideline",
                "doi": "10.1200/JCO.2018.77.8738",
                "pubmed_id": None,
                "accessed": "2025-03-01",
            },
        ),
    ]


def test_rich_text_links_to_articles_point_at_the_frontend(api, target):
    published_article(
        slug="source", body=[paragraph(f"<p>See {page_link(target, 'testing')}.</p>")]
    )

    assert values(body_of(api, "source")) == [
        ("paragraph", '<p>See <a href="/articles/her2-testing/">testing</a>.</p>')
    ]


def test_frontend_paths_use_the_frontend_base_url(api, target, settings):
    settings.VETTED = {**settings.VETTED, "FRONTEND_BASE_URL": "https://health.example/read/"}
    published_article(
        slug="source",
        body=[
            paragraph(f"<p>{page_link(target, 'testing')}</p>"),
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
        ],
    )

    body = body_of(api, "source")

    assert (
        body[0]["value"]
        == '<p><a href="https://health.example/read/her2-testing/">testing</a></p>'
    )
    assert body[1]["value"]["path"] == "https://health.example/read/her2-testing/"


def test_links_to_content_that_is_not_public_keep_only_their_text(api):
    draft = article_draft(slug="draft")
    withdrawn = unpublished_article(slug="withdrawn")
    published_article(
        slug="source",
        body=[
            paragraph(
                f"<p>{page_link(draft, 'a draft')} and {page_link(withdrawn, 'withdrawn')}"
                ' and <a linktype="page" id="999999">gone</a>'
                ' and <a linktype="document" id="1">a file</a></p>'
            )
        ],
    )

    assert values(body_of(api, "source")) == [
        ("paragraph", "<p>a draft and withdrawn and gone and a file</p>")
    ]


def test_read_more_carries_the_target(api, target):
    published_article(
        slug="source",
        body=[
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
            {"type": "read_more", "value": {"article": target.pk, "text": "how HER2 is tested"}},
        ],
    )

    assert values(body_of(api, "source")) == [
        (
            "read_more",
            {
                "slug": "her2-testing",
                "title": "Testing for HER2",
                "path": "/articles/her2-testing/",
                "text": "Testing for HER2",
            },
        ),
        (
            "read_more",
            {
                "slug": "her2-testing",
                "title": "Testing for HER2",
                "path": "/articles/her2-testing/",
                "text": "how HER2 is tested",
            },
        ),
    ]


def test_read_more_to_content_that_is_not_public_is_dropped(api, target):
    draft = article_draft(slug="draft", title="Draft title zebra")
    withdrawn = unpublished_article(slug="withdrawn", title="Withdrawn title giraffe")
    published_article(
        slug="source",
        body=[
            {"type": "read_more", "value": {"article": draft.pk, "text": ""}},
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
            {"type": "read_more", "value": {"article": withdrawn.pk, "text": ""}},
        ],
    )

    body = body_of(api, "source")

    assert [block["value"]["slug"] for block in body] == ["her2-testing"]


def test_a_target_unpublished_later_drops_out_of_the_body(api, target):
    published_article(
        slug="source",
        body=[
            paragraph(f"<p>{page_link(target, 'testing')}</p>"),
            {"type": "read_more", "value": {"article": target.pk, "text": ""}},
        ],
    )
    target.unpublish()

    assert values(body_of(api, "source")) == [("paragraph", "<p>testing</p>")]


def test_images_are_renditions_with_alt_text_and_caption(api):
    picture = image(size=(3200, 1600))
    published_article(
        slug="source",
        body=[
            {
                "type": "image",
                "value": {"image": picture.pk, "alt_text": "A scan", "caption": "Figure 1"},
            },
            {"type": "image", "value": {"image": picture.pk, "alt_text": "Again", "caption": ""}},
        ],
    )

    first, second = body_of(api, "source")

    assert first["type"] == "image"
    assert set(first["value"]) == {"url", "width", "height", "alt", "caption", "file_hash"}
    assert (first["value"]["width"], first["value"]["height"]) == (1600, 800)
    assert first["value"]["url"].startswith("http://127.0.0.1:8000/media/images/")
    assert first["value"]["alt"] == "A scan"
    assert first["value"]["caption"] == "Figure 1"
    assert second["value"]["caption"] is None


def test_an_image_deleted_or_without_its_file_is_dropped(api):
    deleted = image(title="Deleted")
    missing_file = image(title="Lost")
    missing_file.file.storage.delete(missing_file.file.name)
    published_article(
        slug="source",
        body=[
            {"type": "image", "value": {"image": deleted.pk, "alt_text": "x", "caption": ""}},
            {"type": "image", "value": {"image": missing_file.pk, "alt_text": "y", "caption": ""}},
            {"type": "heading", "value": "Still here"},
        ],
    )
    deleted.delete()

    assert values(body_of(api, "source")) == [("heading", "Still here")]


@pytest.mark.parametrize(
    "stored", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "ftp://x", "x"]
)
def test_a_citation_address_that_is_not_a_web_address_is_left_out(api, stored):
    published_article(
        slug="cited",
        body=[
            {
                "type": "citation",
                "value": {"title": "A study", "source": "A journal", "url": stored},
            }
        ],
    )

    (citation,) = body_of(api, "cited")

    assert citation["value"]["url"] is None
