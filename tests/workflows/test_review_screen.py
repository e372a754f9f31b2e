"""The clinician's review screen shows the reader document that goes live, and every change."""

from copy import deepcopy

import pytest
from django.urls import reverse
from django.utils.html import escape

from reader.changes import document_diff
from tests.api.helpers import image, page_link, paragraph
from tests.factories import published_article
from tests.workflows.flow import approve_all, edit, fresh, through_editorial

CITATION = {
    "title": "HER2 testing in breast cancer",
    "source": "A clinical journal",
    "url": "https://journal.example/her2",
    "doi": "10.1000/her2.1",
    "pubmed_id": "123456",
    "accessed": "2026-10-01",
}


@pytest.fixture
def reviewing(article, people, as_clinician):
    """The live article, an edit of it through editorial review, and the review screen."""

    def open_review(**changes):
        edit(article, **changes)
        state = through_editorial(article, people)
        return as_clinician.get(reverse("workflows:medical_review", args=[state.pk]))

    return open_review


@pytest.fixture
def as_clinician(client, people):
    client.force_login(people["clinician"])
    return client


@pytest.fixture
def live(article, people):
    """`article` live with a body that has every kind of block."""
    target = published_article(slug="target", title="Diagnosis")
    other = published_article(slug="other", title="Treatment")
    picture = image(title="Scan")
    body = [
        {"type": "heading", "value": "What it is"},
        paragraph(
            f'<p>See <a href="https://nci.example/a">NCI</a> and {page_link(target, "this")}.</p>'
        ),
        {
            "type": "image",
            "value": {"image": picture.pk, "alt_text": "A scan", "caption": "Fig 1"},
        },
        {"type": "read_more", "value": {"article": target.pk, "text": ""}},
        {"type": "citation", "value": CITATION},
        {"type": "callout", "value": {"tone": "info", "title": "Note", "text": "<p>Ask.</p>"}},
    ]
    edit(article, body=body)
    approve_all(article, people)
    return {"target": target, "other": other, "picture": picture, "body": body}


def changed_fields(response):
    return {
        (entry["label"], entry["status"])
        for entry in response.context["diff"]
        if entry["status"] != "same"
    }


def replace_block(body, kind, **value):
    return [
        {**block, "value": {**block["value"], **value}} if block["type"] == kind else block
        for block in body
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda live: {
                "body": [
                    paragraph(
                        '<p>See <a href="https://elsewhere.example/a">NCI</a> and '
                        f"{page_link(live['target'], 'this')}.</p>"
                    )
                    if block["type"] == "paragraph"
                    else block
                    for block in live["body"]
                ]
            },
            ("Paragraph", "changed"),
        ),
        (
            lambda live: {
                "body": replace_block(live["body"], "image", image=image(title="Other").pk)
            },
            ("Image file", "changed"),
        ),
        (
            lambda live: {"body": replace_block(live["body"], "image", caption="Figure one")},
            ("Image caption", "changed"),
        ),
        (
            lambda live: {"body": replace_block(live["body"], "citation", doi="10.1000/x")},
            ("Citation DOI", "changed"),
        ),
        (
            lambda live: {"body": replace_block(live["body"], "citation", pubmed_id="999")},
            ("Citation PubMed ID", "changed"),
        ),
        (
            lambda live: {"body": replace_block(live["body"], "citation", accessed="2026-11-02")},
            ("Citation accessed", "changed"),
        ),
        (
            lambda live: {
                "body": replace_block(live["body"], "read_more", article=live["other"].pk)
            },
            ("Read more target", "changed"),
        ),
        (lambda live: {"seo_title": "HER2, explained"}, ("SEO title", "added")),
        (lambda live: {"slug": "her2-explained"}, ("Address (slug)", "changed")),
        (
            lambda live: {"body": replace_block(live["body"], "callout", tone="warning")},
            ("Callout", "changed"),
        ),
    ],
    ids=[
        "external-link",
        "image",
        "caption",
        "doi",
        "pubmed",
        "accessed",
        "read-more",
        "seo-title",
        "slug",
        "callout-tone",
    ],
)
def test_every_change_that_goes_live_is_shown(live, reviewing, change, expected):
    response = reviewing(**change(live))
    assert response.status_code == 200
    assert expected in changed_fields(response)
    label, _status = expected
    assert label in response.content.decode()


def test_a_changed_word_is_marked_inside_its_field(live, reviewing, article):
    response = reviewing(summary="HER2 is a protein that can make breast cancer grow slower.")
    html = response.content.decode()
    assert "<del>faster.</del>" in html and "<ins>slower.</ins>" in html
    assert ("Summary", "changed") in changed_fields(response)
    assert ("Section heading", "changed") not in changed_fields(response)


def test_fields_show_as_readers_read_them_not_as_block_fields(live, reviewing):
    html = reviewing(summary="Changed.").content.decode()
    assert "Section heading" in html and "Citation PubMed ID" in html
    assert "pubmed_id" not in html and "tone" not in html


def test_the_screen_frames_the_reader_rendering_of_the_candidate(live, reviewing, client):
    response = reviewing(title="What is HER2? A plain guide")
    reader_url = response.context["reader_url"]
    assert f'src="{escape(reader_url)}"' in response.content.decode()
    page = client.get(reader_url)
    assert page.status_code == 200
    assert "What is HER2? A plain guide" in page.content.decode()


def test_nothing_the_document_shows_is_left_out_of_the_comparison(live, article):
    """Change each leaf value of the approved document: each change is reported."""
    document = fresh(article).reader_document()

    def leaves(value, path=()):
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "id" or not path or path[-1] != "body":
                    yield from leaves(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from leaves(item, (*path, index))
        elif isinstance(value, str) and value:
            yield path

    def changed(document, path):
        copy = deepcopy(document)
        target = copy
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = target[path[-1]] + " X"
        return copy

    paths = [path for path in leaves(document) if path[-1] != "id"]
    assert len(paths) > 30
    for path in paths:
        assert [
            e for e in document_diff(document, changed(document, path)) if e["status"] != "same"
        ], path
