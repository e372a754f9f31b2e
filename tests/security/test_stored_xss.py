"""Script saved into content never reaches a frontend as something a browser would run.

Each article here is published through the gate (`published_article`) with an
attack in every text field. Rich text comes out as HTML with nothing
executable in it; plain text comes out exactly as stored, as a JSON string,
and escaping it is the frontend's job (SECURITY.md says so).
"""

from html.parser import HTMLParser

import pytest

from tests.factories import (
    AuthorFactory,
    MedicalReviewerFactory,
    TopicFactory,
    published_article,
)

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

EXECUTABLE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "link", "meta", "base", "form", "input", "button", "img", "video", "audio",
    "source", "details", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Markup(HTMLParser):
    """Everything in an HTML fragment that a browser could run."""

    def __init__(self):
        super().__init__()
        self.dangers = []

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
    assert executable_markup('<p>Fine <a href="/articles/x/">link</a> <b>bold</b></p>') == []


@pytest.fixture(params=PAYLOADS, ids=["script", "img-onerror", "svg-onload", "js-link", "ld"])
def payload(request):
    return request.param


@pytest.fixture
def attacked(payload):
    """A published article, its people and its topic, with `payload` in every text field."""
    rich = f"<p>Before {payload} {' '.join(RICH_ATTACKS)} after</p>"
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
        # The reader's text survives; only the markup is gone.
        assert html.startswith("<p>Before") and "after</p>" in html
        assert '<a href="https://example.org/">ok</a>' in html


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
