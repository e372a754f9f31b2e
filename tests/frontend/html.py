"""Reading the frontend's HTML the way a reader's browser and screen reader would."""

from html.parser import HTMLParser

LANDMARKS = {"header", "nav", "main", "footer"}


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []  # (level, text)
        self.tags = []  # (tag, attrs)
        self._heading = None
        self._depth = {"article": 0, "section": 0}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self._depth:
            self._depth[tag] += 1
        # A header or footer inside an article or section is no page landmark.
        nested = tag in ("header", "footer") and any(self._depth.values())
        self.tags.append((tag, attrs, nested))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if tag in self._depth:
            self._depth[tag] -= 1
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data


def outline(response):
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


def headings(response):
    return outline(response).headings


def page_landmarks(response):
    return [
        tag for tag, _attrs, nested in outline(response).tags if tag in LANDMARKS and not nested
    ]


def elements(response, tag):
    return [attrs for name, attrs, _nested in outline(response).tags if name == tag]


def assert_accessible_structure(response):
    """One h1, no skipped heading levels, the page landmarks once each, a working
    skip link, and alt text on every image."""
    levels = [level for level, _text in headings(response)]
    assert levels.count(1) == 1, headings(response)
    assert levels[0] == 1, headings(response)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert sorted(page_landmarks(response)) == sorted(LANDMARKS)
    skip = elements(response, "a")[0]
    assert skip["href"] == "#main"
    assert any(attrs.get("id") == "main" for attrs in elements(response, "main"))
    assert all("alt" in attrs for attrs in elements(response, "img"))
    assert response.content.decode().startswith("<!DOCTYPE html>")


BLOCK_TAGS = {
    "p",
    "li",
    "ul",
    "ol",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
}
BLOCK_TAGS |= {"h1", "h2", "h3", "h4", "figure", "figcaption", "br"}


def text(response):
    """The page's visible text with whitespace collapsed, as a reader sees it."""
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._hidden += 1
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._hidden -= 1
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
