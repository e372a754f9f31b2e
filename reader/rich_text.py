"""Rich text as frontends receive it: safe HTML whose article links point at the frontend.

Wagtail stores rich text in its database format, where a link to a page is
``<a linktype="page" id="42">``. Here a link to a public article becomes a
link to that article's frontend address; a link to anything else that is not
public loses its address (its text stays). The result then passes an allowlist
of the elements the editor offers, so markup saved around the editor (from
Python or an import) cannot reach a frontend as script or attributes.
"""

from html import escape

from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from .links import article_frontend_path


def linked_page_ids(html):
    """The ids of the pages that `html` (database format) links to."""
    links = LinkRewriter().extract_tags(html or "").get("page", [])
    return {int(link.attrs["id"]) for link in links if link.attrs.get("id", "").isdecimal()}


def rich_text_html(html, *, articles):
    """`html` (database format) as safe HTML; `articles` maps public article ids to
    ``{"slug", "title"}`` and decides which page links keep an address."""

    def page_links(attrs_list):
        return [_page_link(attrs.get("id"), articles) for attrs in attrs_list]

    rewrite = MultiRuleRewriter(
        [
            LinkRewriter(bulk_rules={"page": page_links}),
            # Embeds are not among the editor's features: drop any that were stored.
            EmbedRewriter(),
        ]
    )
    return _Allowlist().clean(rewrite(html or ""))


def _page_link(page_id, articles):
    try:
        slug = articles[int(page_id)]["slug"]
    except (KeyError, TypeError, ValueError):
        return "<a>"
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
