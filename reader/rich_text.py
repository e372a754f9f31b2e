"""Rich text as frontends receive it: safe HTML whose article links point at the frontend.

Wagtail stores rich text in its database format, where a link to a page is
``<a linktype="page" id="42">``. Here a link to a public article becomes a
link to that article's frontend address; a link to anything else that is not
public loses its address (its text stays). The result then passes an allowlist
of the elements the editor offers, so markup saved around the editor (from
Python or an import) cannot reach a frontend as script or attributes.
"""

import re
from html import escape

from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from .links import article_frontend_path, article_frontend_prefix

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
    cleaned = _Allowlist().clean(rewrite(html or ""))
    public = {article["slug"] for article in articles.values()}
    return _typed_links_resolved(cleaned, public)


def _typed_links_resolved(html, public_slugs):
    """Unwrap typed links to article addresses whose article is not public."""
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


def _unwrap_empty_link(tag):
    attribute_rule({"href": check_url})(tag)
    if not tag.get("href"):
        tag.unwrap()


class _Allowlist(Whitelister):
    element_rules = {
        "[document]": allow_without_attributes,
        "a": _unwrap_empty_link,
        "b": allow_without_attributes,
        "br": allow_without_attributes,
        "em": allow_without_attributes,
        "i": allow_without_attributes,
        "li": allow_without_attributes,
        "ol": allow_without_attributes,
        "p": allow_without_attributes,
        "strong": allow_without_attributes,
        "sub": allow_without_attributes,
        "sup": allow_without_attributes,
        "ul": allow_without_attributes,
    }
