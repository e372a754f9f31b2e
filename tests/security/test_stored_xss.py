"""Script saved into content never reaches a frontend as something a browser would run.

Each article here is published through the gate (`published_article`) with an
attack in every text field. Rich text comes out as HTML with nothing
executable in it; plain text comes out exactly as stored, as a JSON string,
and escaping it is the frontend's job (SECURITY.md says so). The clinician's
review screen shows the same sanitised document, or the text of it.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    published_article,
)
from tests.workflows.flow import edit, through_editorial

# Short enough for every field's maximum length (credentials: 100 characters).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">read</a>',
    "</script><script>alert(1)</script>",
]

# Rich text gets these on top: markup the editor cannot produce but an import can.
RICH_ATTACKS = [
    '<a href="JaVa&#x09;ScRiPt:alert(1)">tab</a>',
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>',
    '<a href="https://example.org/" onclick="alert(1)" style="x:expression(alert(1))">ok</a>',
    '<b onmouseover="alert(1)">bold</b>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:1">',
    "<details open ontoggle=alert(1)>d</details>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">n</p></noscript>',
    "<!--<script>alert(1)</script>--><![CDATA[<script>alert(1)</script>]]>",
]

# Markup that an HTML5 parser (every browser, and nh3) reads differently from a
# naive one. Each is saved in a block of its own, so none changes how another parses.
PARSER_ATTACKS = {
    "cdata": "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "comment": "<!-- --!><img src=x onerror=alert(1)> -->",
    "processing-instruction": "<?xml-stylesheet href=javascript:alert(1)?><?php alert(1) ?>",
    "ftp-link": '<a href="ftp://files.example/x">ftp</a>',
    "svg-style": "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">n</p></noscript>',
    "title": "<title></title><img src=x onerror=alert(1)></title>",
    "textarea": "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
    "nested-links": '<a href="https://a.example/">a<a href="javascript:alert(1)">b</a></a>',
    "javascript-entities": '<a href="&#x6A;ava&#9;script&colon;alert(1)">e</a>',
    "javascript-whitespace": '<a href="\n java\tscript:alert(1)">w</a>',
    "javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">c</a>',
    "data-url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "data-image": '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
}

EXECUTABLE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "link", "meta", "base", "form", "input", "button", "img", "video", "audio",
    "source", "details", "template", "noscript",
    # Elements whose content a browser parses differently from Python's HTMLParser.
    "title", "textarea", "xmp", "noembed", "noframes", "plaintext", "listing", "select",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Markup(HTMLParser):
    """Everything in an HTML fragment that a browser could run.

    Python's HTMLParser is not a browser's: it reads CDATA, comments, processing
    instructions and declarations as opaque, where a browser may end them early
    (``<![CDATA[>`` is a comment that ends at the first ``>``) and find elements
    inside. So any of them counts as a danger, as does a ``<`` left in text: what
    remains is markup that every HTML parser reads the same way.
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.dangers = []

    def handle_data(self, data):
        if "<" in data:
            self.dangers.append(f"unparsed {data!r}")

    def handle_comment(self, data):
        self.dangers.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.dangers.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.dangers.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.dangers.append(f"<?{data}>")

    def handle_starttag(self, tag, attrs):
        if tag in EXECUTABLE_ELEMENTS:
            self.dangers.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.dangers.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and not _safe_url(value or ""):
                self.dangers.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def _safe_url(url):
    # What a browser does before reading the scheme: drop controls and whitespace.
    squashed = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    scheme, colon, _ = squashed.partition(":")
    return not colon or "/" in scheme or scheme in SAFE_SCHEMES


def executable_markup(html):
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.dangers


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        self.names |= {name for name, _value in attrs}


def _attributes(html):
    """The names of the attributes of every element of a page."""
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.names


def _text(html):
    return re.sub(r"<[^>]*>", "", html).strip()


_RICH_TEXT = re.compile(r'<div class="rich-text">(.*?)</div>', re.S)


def _rich_text_blocks(page):
    """The rich text of an article page of the reference frontend."""
    blocks = _RICH_TEXT.findall(page)
    assert blocks
    return blocks


def _urls(data, key=""):
    """Every string in `data` held under a key that names an address."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _urls(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from _urls(value, key)
    elif isinstance(data, str) and key in {"url", "path", "href"}:
        yield data


def test_the_html_check_catches_what_it_must():
    # The checks below are only as good as this parser: it must see every attack.
    for attack in [
        *PAYLOADS[:4],
        '<a href="JaVa\tScRiPt:alert(1)">t</a>',
        '<p style="x">s</p>',
        "<iframe src=x>",
    ]:
        assert executable_markup(attack), attack
    # What Wagtail's allowlist used to pass, which Chromium runs.
    for passed in [
        "<p><![CDATA[><img src=x onerror=alert(1)>]]></p>",
        "<p><!-- --!><img src=x onerror=alert(1)> --></p>",
        "<p><?xml-stylesheet href=x?></p>",
        '<p><a href="ftp://files.example/x">ftp</a></p>',
        "<p><title></title><img src=x onerror=alert(1)></title></p>",
    ]:
        assert executable_markup(passed), passed
    assert executable_markup('<p>Fine <a href="/articles/x/">link</a> <b>bold</b></p>') == []
    assert executable_markup("<p>5 &lt; 6 &amp; caf&#xe9;&nbsp;<br/>ok</p>") == []


@pytest.fixture(params=PAYLOADS, ids=["script", "img-onerror", "svg-onload", "js-link", "ld"])
def payload(request):
    return request.param


@pytest.fixture
def attacked(payload):
    """A published article, its people and its topic, with `payload` in every text field."""
    # Two paragraphs: a browser reads what follows an unclosed <svg> as SVG, up to
    # the paragraph's end, so the rich-text attacks get a paragraph of their own.
    rich = f"<p>Before {payload}</p><p>{' '.join(RICH_ATTACKS)} after</p>"
    return published_article(
        title=f"Title {payload}",
        slug="attacked",
        summary=f"Summary {payload}",
        key_takeaways=[{"type": "takeaway", "value": f"Takeaway {payload}"}],
        body=[
            {"type": "heading", "value": f"Heading {payload}"},
            {"type": "paragraph", "value": rich},
            {"type": "bullet_list", "value": [{"type": "item", "value": f"Bullet {payload}"}]},
            {
                "type": "callout",
                "value": {"tone": "warning", "title": f"Callout {payload}", "text": rich},
            },
            {
                "type": "citation",
                "value": {
                    "title": f"Citation {payload}",
                    "source": f"Source {payload}",
                    "url": "https://example.org/study",
                    "doi": f"10.1000/{payload}",
                    "pubmed_id": "",
                    "accessed": None,
                },
            },
        ],
        author=AuthorFactory(name=f"Author {payload}", slug="author", bio=f"Bio {payload}"),
        medical_reviewer=MedicalReviewerFactory(
            name=f"Reviewer {payload}",
            slug="reviewer",
            credentials=f"M.D. {payload}",
            specialty=f"Specialty {payload}",
            organization=f"Org {payload}",
            bio=f"Bio {payload}",
        ),
        topics=[
            TopicFactory(name=f"Topic {payload}", slug="topic", description=f"About {payload}")
        ],
    )


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    # Served as JSON that browsers may not sniff into HTML: nothing here renders as a page.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    return response.json()


def test_rich_text_comes_out_without_anything_executable(client, attacked):
    article = _get(client, "/api/v1/articles/attacked/")
    body = {block["type"]: block["value"] for block in article["body"]}

    for html in (body["paragraph"], body["callout"]["text"]):
        assert executable_markup(html) == []
        # The reader's text survives; only the markup is gone (a browser's parse
        # closes the paragraph where a <form> or <details> opened, so the text moves).
        assert html.startswith("<p>Before") and _text(html).endswith(" after")
        assert '<a href="https://example.org/">ok</a>' in html


@pytest.fixture
def parsed_differently():
    """A published article with each of `PARSER_ATTACKS` in a paragraph and a callout."""
    body = []
    for attack in PARSER_ATTACKS.values():
        rich = f"<p>Before {attack} after</p>"
        body.append({"type": "paragraph", "value": rich})
        body.append({"type": "callout", "value": {"tone": "info", "title": "", "text": rich}})
    return published_article(slug="parsed-differently", body=body)


def test_markup_browsers_parse_differently_comes_out_without_anything_executable(
    client, parsed_differently
):
    article = _get(client, "/api/v1/articles/parsed-differently/")
    served = [
        block["value"]["text"] if block["type"] == "callout" else block["value"]
        for block in article["body"]
    ]

    assert len(served) == 2 * len(PARSER_ATTACKS)
    for name, paragraph, callout in zip(PARSER_ATTACKS, served[::2], served[1::2], strict=True):
        assert paragraph == callout, name
        assert executable_markup(paragraph) == [], name
        # The text before the attack survives (after it, a raw-text element may run on).
        assert paragraph.startswith("<p>Before"), name
    assert "ftp:" not in json.dumps(article)


def test_the_review_screen_shows_stored_script_only_as_text(
    client, people, article, parsed_differently
):
    edit(article, body=parsed_differently.body.raw_data)
    state = through_editorial(article, people)
    client.force_login(people["clinician"])
    screen = client.get(reverse("workflows:medical_review", args=[state.pk]))
    reader = client.get(screen.context["reader_url"])

    assert screen.status_code == reader.status_code == 200
    # The comparison is text: every stored tag reaches the screen escaped, if at all.
    assert "onerror" not in _attributes(screen.content.decode())
    assert "<img src=x" not in screen.content.decode()
    # The article beside it is the frontend's rendering of the sanitised document,
    # in a frame sandboxed from the clinician's session as a second layer.
    assert 'title="The article as readers will see it" sandbox=""' in screen.content.decode()
    for html in _rich_text_blocks(reader.content.decode()):
        assert executable_markup(html) == []


def test_plain_text_fields_come_out_exactly_as_stored(client, attacked, payload):
    article = _get(client, "/api/v1/articles/attacked/")
    body = {block["type"]: block["value"] for block in article["body"]}

    assert article["title"] == f"Title {payload}"
    assert article["summary"] == f"Summary {payload}"
    assert article["key_takeaways"] == [f"Takeaway {payload}"]
    assert body["heading"] == f"Heading {payload}"
    assert body["bullet_list"] == [f"Bullet {payload}"]
    assert body["callout"]["title"] == f"Callout {payload}"
    assert body["citation"]["title"] == f"Citation {payload}"
    assert body["citation"]["source"] == f"Source {payload}"
    assert body["citation"]["doi"] == f"10.1000/{payload}"
    assert article["author"]["name"] == f"Author {payload}"
    assert article["author"]["bio"] == f"Bio {payload}"
    reviewer = article["medical_reviewer"]
    assert reviewer["name"] == f"Reviewer {payload}"
    assert reviewer["credentials"] == f"M.D. {payload}"
    assert reviewer["specialty"] == f"Specialty {payload}"
    assert reviewer["organization"] == f"Org {payload}"
    assert reviewer["bio"] == f"Bio {payload}"
    assert article["topics"] == [{"name": f"Topic {payload}", "slug": "topic"}]
    assert article["json_ld"]["headline"] == f"Title {payload}"
    assert article["json_ld"]["reviewedBy"]["name"] == f"Reviewer {payload}"


def test_lists_people_and_topics_carry_the_same_plain_text(client, attacked, payload):
    summary = _get(client, "/api/v1/articles/")["results"][0]
    author = _get(client, "/api/v1/authors/author/")
    reviewer = _get(client, "/api/v1/reviewers/reviewer/")
    topic = _get(client, "/api/v1/topics/")["results"][0]

    assert (summary["title"], summary["summary"]) == (f"Title {payload}", f"Summary {payload}")
    assert summary["author"]["name"] == author["name"] == f"Author {payload}"
    assert author["bio"] == f"Bio {payload}"
    assert summary["medical_reviewer"]["name"] == reviewer["name"] == f"Reviewer {payload}"
    assert reviewer["bio"] == f"Bio {payload}"
    assert (topic["name"], topic["description"]) == (f"Topic {payload}", f"About {payload}")


def test_no_address_in_an_article_has_a_script_scheme(client):
    published_article(
        slug="cited",
        body=[
            {"type": "paragraph", "value": "<p>Text.</p>"},
            {
                "type": "citation",
                "value": {"title": "A study", "source": "A journal", "url": "javascript:alert(1)"},
            },
        ],
    )
    article = _get(client, "/api/v1/articles/cited/")

    urls = list(_urls(article))
    assert urls  # the citation's address and the article's own are among them
    assert [url for url in urls if not _safe_url(url)] == []
