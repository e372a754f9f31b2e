"""API JSON shaped for the templates. Everything here works on what the API returned."""

from math import ceil

from django.utils.text import slugify

# The body blocks the article template shows. A block type the API adds later is
# skipped until the template learns it, rather than shown half-understood.
SHOWN_BLOCKS = frozenset({"paragraph", "bullet_list", "read_more", "image", "callout"})


def article_sections(body):
    """`body` (the API's blocks) as ``(sections, citations)``.

    Each heading block opens a section (``heading``, ``anchor``, ``blocks``);
    blocks before the first heading form an untitled opening section. Citations
    are gathered into one list, shown as the article's sources.
    """
    sections = [{"heading": None, "anchor": None, "blocks": []}]
    citations = []
    anchors = set()
    for block in body:
        if block["type"] == "heading":
            anchor = _unique_anchor(block["value"], taken=anchors)
            sections.append({"heading": block["value"], "anchor": anchor, "blocks": []})
        elif block["type"] == "citation":
            citations.append(block["value"])
        elif block["type"] in SHOWN_BLOCKS:
            sections[-1]["blocks"].append(block)
    return [section for section in sections if section["heading"] or section["blocks"]], citations


def recent_teasers(summaries, *, excluding, limit):
    """Up to `limit` article summaries, leaving out the article with slug `excluding`."""
    return [summary for summary in summaries if summary["slug"] != excluding][:limit]


def pagination(*, page, page_size, count):
    """Where `page` sits among the pages of `count` results; None when there is one page."""
    last = max(1, ceil(count / page_size))
    if last == 1:
        return None
    return {
        "number": page,
        "last": last,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


def _unique_anchor(heading, *, taken):
    base = f"section-{slugify(heading) or 'untitled'}"
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor
