"""Rich text reaches readers as safe HTML, whatever was stored."""

import pytest

from reader.rich_text import linked_page_ids, rich_text_html

ARTICLES = {7: {"slug": "her2", "title": "What is HER2?"}}


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (
            "<p><b>Bold</b>, <i>italic</i>, x<sup>2</sup>, H<sub>2</sub>O<br/>next</p>",
            "<p><b>Bold</b>, <i>italic</i>, x<sup>2</sup>, H<sub>2</sub>O<br/>next</p>",
        ),
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hialert(1)</p>"),
        ('<p onclick="x()" class="c" style="color:red">Hi</p>', "<p>Hi</p>"),
        ('<p><a href="javascript:alert(1)">bad</a></p>', "<p>bad</p>"),
        (
            '<p><a href="https://nci.example/x" target="_blank">NCI</a></p>',
            '<p><a href="https://nci.example/x">NCI</a></p>',
        ),
        (
            '<p><a href="mailto:help@example.org">mail</a></p>',
            '<p><a href="mailto:help@example.org">mail</a></p>',
        ),
        ('<p><img src="x" onerror="alert(1)"/>text</p>', "<p>text</p>"),
        ('<p><embed embedtype="media" url="https://video.example"/>x</p>', "<p>x</p>"),
        ('<p><a linktype="page" id="7">HER2</a></p>', '<p><a href="/articles/her2/">HER2</a></p>'),
        ('<p><a id="7" linktype="page">HER2</a></p>', '<p><a href="/articles/her2/">HER2</a></p>'),
        ('<p><a linktype="page" id="8">hidden</a></p>', "<p>hidden</p>"),
        ("<p>5 &lt; 6 &amp; 7</p>", "<p>5 &lt; 6 &amp; 7</p>"),
        ("", ""),
    ],
)
def test_rich_text_html(stored, expected):
    assert rich_text_html(stored, articles=ARTICLES) == expected


def test_linked_page_ids_reads_page_links_only():
    html = (
        '<p><a linktype="page" id="3">a</a> <a id="4" linktype="page">b</a>'
        ' <a href="https://x.example">c</a> <a linktype="document" id="5">d</a></p>'
    )

    assert linked_page_ids(html) == {3, 4}
