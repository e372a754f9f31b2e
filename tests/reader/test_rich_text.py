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
        # A script and a style go with their content, which is code, not text for readers.
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ("<p>Hi<style>p { color: red }</style></p>", "<p>Hi</p>"),
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


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        # A browser reads <![CDATA[ in HTML as a comment that ends at the first ">".
        ("<p><![CDATA[><img src=x onerror=alert(1)>]]></p>", "<p>]]&gt;</p>"),
        (
            "<p>a<!-- <b>hidden</b> -->b<!-- --!><img src=x onerror=alert(1)> --></p>",
            "<p>ab --&gt;</p>",
        ),
        ("<p>a<?xml-stylesheet href=x?>b<?php echo 1 ?>c</p>", "<p>abc</p>"),
        ('<p><a href="ftp://files.example/x">ftp</a></p>', "<p>ftp</p>"),
        (
            '<p><a href="tel:+441234567890">call</a></p>',
            '<p><a href="tel:+441234567890">call</a></p>',
        ),
        ('<p><a href="#unreviewed-link">x</a></p>', '<p><a href="#unreviewed-link">x</a></p>'),
        ("<p><svg><style><img src=x onerror=alert(1)></style></svg>after</p>", "<p>after</p>"),
        (
            "<p><math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>"
            "</mglyph></table></mtext></math>after</p>",
            "<p>after</p>",
        ),
        (
            '<p><noscript><p title="</noscript><img src=x onerror=alert(1)>">n</p></noscript></p>',
            "<p>&lt;p title=&quot;&quot;&gt;n</p><p></p>",
        ),
        (
            "<p><title><img src=x onerror=alert(1)></title>t</p>",
            "<p>&lt;img src=x onerror=alert(1)&gt;t</p>",
        ),
        ("<p><textarea></textarea><img src=x onerror=alert(1)></textarea>t</p>", "<p>t</p>"),
        (
            '<p><a href="https://a.example/">a<a href="javascript:alert(1)">b</a></a></p>',
            '<p><a href="https://a.example/">a</a>b</p>',
        ),
        (
            '<p><a href="JaVaScRiPt:alert(1)">c</a><a href="&#x6A;ava&#9;script&colon;alert(1)">'
            'e</a><a href="  java\nscript:alert(1)">w</a></p>',
            "<p>cew</p>",
        ),
        ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">d</a></p>', "<p>d</p>"),
        ('<p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>f</p>', "<p>f</p>"),
    ],
    ids=[
        "cdata",
        "comments",
        "processing-instructions",
        "ftp-link",
        "tel-link",
        "relative-link",
        "svg-style",
        "math-mglyph",
        "noscript",
        "title",
        "textarea",
        "nested-links",
        "javascript-disguised",
        "data-url",
        "iframe-srcdoc",
    ],
)
def test_rich_text_is_read_as_a_browser_reads_it(stored, expected):
    assert rich_text_html(stored, articles=ARTICLES) == expected


@pytest.mark.parametrize(
    ("stored", "recorded"),
    [
        (
            '<p data-block-key="a1b2c">Don\'t say "never": 5 &lt; 6 &amp; caf\u00e9&nbsp;au lait'
            "<br/>next</p>",
            "<p>Don&#x27;t say &quot;never&quot;: 5 &lt; 6 &amp; caf\u00e9\u00a0au lait"
            "<br/>next</p>",
        ),
        (
            '<p>See <a href="https://nci.example/q?a=1&amp;b=it\'s">NCI</a>, '
            '<a linktype="page" id="7"><b>HER2</b></a> and x<sup>2</sup>.</p>\n<p><i>Next</i></p>',
            '<p>See <a href="https://nci.example/q?a=1&amp;b=it&#x27;s">NCI</a>, '
            '<a href="/articles/her2/"><b>HER2</b></a> and x<sup>2</sup>.</p>\n<p><i>Next</i></p>',
        ),
    ],
    ids=["text", "links"],
)
def test_editor_html_comes_out_as_approved_documents_recorded_it(stored, recorded):
    # Approvals hold documents written with `<br/>` and quotes as entities; the same
    # text must come out byte for byte, or its fingerprint no longer matches.
    assert rich_text_html(stored, articles=ARTICLES) == recorded
    assert rich_text_html(recorded, articles=ARTICLES) == recorded


def test_linked_page_ids_reads_page_links_only():
    html = (
        '<p><a linktype="page" id="3">a</a> <a id="4" linktype="page">b</a>'
        ' <a href="https://x.example">c</a> <a linktype="document" id="5">d</a></p>'
    )

    assert linked_page_ids(html) == {3, 4}
