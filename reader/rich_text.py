"""Rich text as frontends receive it: safe HTML whose article links point at the frontend.

Wagtail stores rich text in its database format, where a link to a page is
``<a linktype="page" id="42">``. Here a link to a public article becomes a
link to that article's frontend address; a link to anything else that is not
public loses its address (its text stays). The resulting HTML is then
sanitised by nh3 (Ammonia) against an explicit allowlist, so markup saved
around the editor (from Python or an import) cannot reach a frontend, the
preview or the clinician's review screen as script or attributes.
"""

import re
from html import escape

import nh3
from bs4 import BeautifulSoup
from django.utils.html import escape as escape_quotes_too
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter

from .links import article_frontend_path, article_frontend_prefix

# What rich text may hold once sanitised: the editor's features (bold, italic, link,
# superscript, subscript), its paragraphs and line breaks, and the lists an import
# may bring. Every other element is unwrapped (its text stays), but `script` and
# `style` go with their content; comments, CDATA and processing instructions go.
ELEMENTS = frozenset({"a", "b", "br", "em", "i", "li", "ol", "p", "strong", "sub", "sup", "ul"})
ATTRIBUTES = {"a": {"href"}}
# The schemes a link may have (SECURITY.md); relative addresses pass too.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Where a link to a page its sources never looked up points: never the approved text.
UNREVIEWED_LINK = "#unreviewed-link"
# Larger ids cannot be database keys: such a link is to nothing.
MAX_ID = 2**63 - 1
_SLUG = r"[-a-zA-Z0-9_]+"


def valid_id(value):
    """`value` as a database id, or None when it cannot be one."""
    if isinstance(value, str) and value.isdecimal() and value.isascii():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def linked_page_ids(html):
    """The ids of the pages that `html` (database format) links to."""
    links = LinkRewriter().extract_tags(html or "").get("page", [])
    ids = {valid_id(link.attrs.get("id", "")) for link in links}
    return ids - {None}


def typed_article_slugs(html):
    """The slugs of articles that `html` links to by a typed frontend address.

    A writer may type an article's address instead of choosing the article: it
    is the same link for readers, so it is resolved, shown and withdrawn like one.
    """
    return set(_typed_article_link().findall(html or ""))


def _typed_article_link():
    prefix = re.escape(escape(article_frontend_prefix()))
    return re.compile(rf'<a\b[^>]*\bhref="{prefix}({_SLUG})(?:[/?#"])')


def rich_text_html(html, *, articles, known=None):
    """`html` (database format) as safe HTML; `articles` maps public article ids to
    ``{"slug", "title"}`` and decides which page links keep an address. A link to a
    page outside `known` (the ids looked up, all of them if None) is marked
    unreviewed."""

    def page_links(attrs_list):
        return [_page_link(attrs.get("id"), articles, known) for attrs in attrs_list]

    rewrite = MultiRuleRewriter(
        [
            LinkRewriter(bulk_rules={"page": page_links}),
            # Embeds are not among the editor's features: drop any that were stored.
            EmbedRewriter(),
        ]
    )
    cleaned = sanitised_html(rewrite(html or ""))
    public = {article["slug"] for article in articles.values()}
    return _typed_links_resolved(cleaned, public)


def sanitised_html(html):
    """`html` with nothing in it but `ELEMENTS`, links' `href` and `URL_SCHEMES`.

    nh3 parses `html` as a browser does (HTML5: CDATA, comments, foreign content
    and raw-text elements are read as Chromium reads them) and keeps only the
    allowlist. Its clean tree is then written as Wagtail writes rich text
    (``<br/>``, quotes as entities), the form in which every approved document
    was recorded: already-clean text comes out byte for byte as before, so its
    fingerprint and its approval still match. A link left without an address
    (withdrawn, or a scheme refused) is unwrapped: its text stays.
    """
    clean = nh3.clean(
        html, tags=ELEMENTS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
    )
    tree = BeautifulSoup(clean, "html.parser")
    for link in tree.find_all("a"):
        if not link.get("href"):
            link.unwrap()
    return tree.decode(formatter=escape_quotes_too)


def _typed_links_resolved(html, public_slugs):
    """Unwrap typed links to article addresses whose article is not public.

    Runs on sanitised HTML, whose links are exactly ``<a href="…">``; it only
    removes the tags of such links, so it cannot add markup."""
    prefix = re.escape(escape(article_frontend_prefix()))
    pattern = re.compile(rf'<a href="{prefix}({_SLUG})(?:[/?#][^"]*)?">(.*?)</a>', re.S)
    return pattern.sub(lambda link: link[0] if link[1] in public_slugs else link[2], html)


def _page_link(page_id, articles, known):
    page_id = valid_id(page_id)
    if page_id not in articles:
        looked_up = known is None or page_id is None or page_id in known
        return "<a>" if looked_up else f'<a href="{UNREVIEWED_LINK}">'
    slug = articles[page_id]["slug"]
    return f'<a href="{escape(article_frontend_path(slug=slug))}">'
