"""An article body as readers get it: a list of ``{"type", "value", "id"}``.

The body is read from the stream's stored data and rendered with the
document's sources (`reader.sources`): a link keeps its address only when its
target is among the sources' public articles (a "read more" block to anything
else is left out), and an image block only when its image is among the
sources' images. A block type not described here is left out rather than
passed through unchecked.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .links import article_frontend_path
from .rich_text import linked_page_ids, rich_text_html, typed_article_slugs, valid_id

# What a block shows in place of a target its sources never looked up.
UNREVIEWED = {"unreviewed": True}


def body_items(body, *, sources):
    """The blocks of `body` (an article's StreamField value) as readers get them.

    A target the sources looked up but do not hold (not public, deleted) is
    withdrawn: its link is plain text, its block left out. A target they never
    looked up (added to the article after the snapshot was taken) is marked
    unreviewed, so the document is not the approved one.
    """
    looked_up = sources.get("looked_up", {})
    renderer = _BodyRenderer(
        articles={int(pk): value for pk, value in sources["articles"].items()},
        images={int(pk): value for pk, value in sources["images"].items()},
        known_articles={int(pk) for pk in looked_up.get("articles", sources["articles"])},
        known_images={int(pk) for pk in looked_up.get("images", sources["images"])},
    )
    items = []
    for block in body.raw_data:
        render = getattr(renderer, f"render_{block['type']}", None)
        value = render(block["value"]) if render else None
        if value is not None:
            items.append({"type": block["type"], "value": value, "id": block.get("id")})
    return items


def body_article_ids(blocks):
    """The ids of the pages that `blocks` (a body's raw data) link to."""
    ids = set()
    for block in blocks:
        value = block["value"]
        if block["type"] == "paragraph":
            ids |= linked_page_ids(value)
        elif block["type"] == "callout":
            ids |= linked_page_ids(value.get("text"))
        elif block["type"] == "read_more":
            ids.add(valid_id(value.get("article")))
    return ids - {None}


def body_article_slugs(blocks):
    """The slugs of the articles that `blocks` link to by a typed address."""
    slugs = set()
    for block in blocks:
        if block["type"] == "paragraph":
            slugs |= typed_article_slugs(block["value"])
        elif block["type"] == "callout":
            slugs |= typed_article_slugs(block["value"].get("text"))
    return slugs


def body_image_ids(blocks):
    """The ids of the images that `blocks` (a body's raw data) show."""
    ids = {valid_id(block["value"].get("image")) for block in blocks if block["type"] == "image"}
    return ids - {None}


def _blank_to_none(value):
    return value or None


def _web_address(value):
    # The admin's URL field refuses other schemes, but content saved from Python or
    # an import is not checked there: a `javascript:` address must not reach a page.
    try:
        _WEB_ADDRESS(value)
    except ValidationError:
        return None
    return value


_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class _BodyRenderer:
    """One `render_<block type>` per block type: the block's stored value to its reader value."""

    def __init__(self, *, articles, images, known_articles, known_images):
        self.articles = articles
        self.images = images
        self.known_articles = known_articles
        self.known_images = known_images

    def render_heading(self, value):
        return value

    def render_paragraph(self, value):
        return rich_text_html(value, articles=self.articles, known=self.known_articles)

    def render_bullet_list(self, value):
        # ListBlock items are stored as {"type": "item", "value": …} (older data: bare values).
        return [item["value"] if isinstance(item, dict) else item for item in value]

    def render_read_more(self, value):
        article_id = valid_id(value.get("article"))
        target = self.articles.get(article_id)
        if target is None:
            return None if article_id in self.known_articles or article_id is None else UNREVIEWED
        return {
            "slug": target["slug"],
            "title": target["title"],
            "path": article_frontend_path(slug=target["slug"]),
            "text": value.get("text") or target["title"],
        }

    def render_image(self, value):
        image_id = valid_id(value.get("image"))
        image = self.images.get(image_id)
        if image is None:
            return None if image_id in self.known_images or image_id is None else UNREVIEWED
        return {
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
            "alt": value.get("alt_text", ""),
            "caption": _blank_to_none(value.get("caption")),
            "file_hash": image["file_hash"],
        }

    def render_callout(self, value):
        return {
            "tone": value.get("tone") or "info",
            "title": _blank_to_none(value.get("title")),
            "text": rich_text_html(
                value.get("text"), articles=self.articles, known=self.known_articles
            ),
        }

    def render_citation(self, value):
        return {
            "title": value.get("title", ""),
            "source": value.get("source", ""),
            "url": _web_address(value.get("url")),
            "doi": _blank_to_none(value.get("doi")),
            "pubmed_id": _blank_to_none(value.get("pubmed_id")),
            "accessed": _blank_to_none(value.get("accessed")),
        }
