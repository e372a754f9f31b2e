"""An article body as frontends receive it: a list of ``{"type", "value", "id"}``.

The body is read from the stream's stored data, so every article it links to
and every image it shows is fetched in one query each, and a link is kept only
when its target is itself public (a "read more" block to anything else is
dropped). A block type the API does not describe yet is left out rather than
passed through unchecked.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import selectors
from .images import BODY_IMAGE_FILTER, image_rendition
from .links import article_frontend_path
from .rich_text import linked_page_ids, rich_text_html


def body_items(body):
    """The blocks of `body` (an article's StreamField value) ready for a frontend."""
    blocks = list(body.raw_data)
    renderer = _BodyRenderer(
        article_links=selectors.article_links(ids=_linked_ids(blocks)),
        images=selectors.images_by_id(ids=_image_ids(blocks), filter_spec=BODY_IMAGE_FILTER),
    )
    items = []
    for block in blocks:
        render = getattr(renderer, f"render_{block['type']}", None)
        value = render(block["value"]) if render else None
        if value is not None:
            items.append({"type": block["type"], "value": value, "id": block.get("id")})
    return items


def _linked_ids(blocks):
    ids = set()
    for block in blocks:
        value = block["value"]
        if block["type"] == "paragraph":
            ids |= linked_page_ids(value)
        elif block["type"] == "callout":
            ids |= linked_page_ids(value.get("text"))
        elif block["type"] == "read_more" and isinstance(value.get("article"), int):
            ids.add(value["article"])
    return ids


def _image_ids(blocks):
    return {
        block["value"]["image"]
        for block in blocks
        if block["type"] == "image" and isinstance(block["value"].get("image"), int)
    }


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
    """One `render_<block type>` per block type: the block's stored value to its API value."""

    def __init__(self, *, article_links, images):
        self.article_links = article_links
        self.images = images

    def render_heading(self, value):
        return value

    def render_paragraph(self, value):
        return rich_text_html(value, article_links=self.article_links)

    def render_bullet_list(self, value):
        # ListBlock items are stored as {"type": "item", "value": …} (older data: bare values).
        return [item["value"] if isinstance(item, dict) else item for item in value]

    def render_read_more(self, value):
        target = self.article_links.get(value.get("article"))
        if target is None:
            return None
        slug, title = target
        return {
            "slug": slug,
            "title": title,
            "path": article_frontend_path(slug=slug),
            "text": value.get("text") or title,
        }

    def render_image(self, value):
        image = self.images.get(value.get("image"))
        if image is None:
            return None
        rendition = image_rendition(
            image=image, filter_spec=BODY_IMAGE_FILTER, alt=value.get("alt_text", "")
        )
        if rendition is None:
            return None
        return {**rendition, "caption": _blank_to_none(value.get("caption"))}

    def render_callout(self, value):
        return {
            "tone": value.get("tone") or "info",
            "title": _blank_to_none(value.get("title")),
            "text": rich_text_html(value.get("text"), article_links=self.article_links),
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


def body_dependencies(body):
    """``(article ids, image ids)`` that the blocks of `body` link to or show."""
    blocks = list(body.raw_data)
    return _linked_ids(blocks), _image_ids(blocks)
