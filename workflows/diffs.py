"""What changed between two versions of an article, as a clinician reads it."""

import difflib

from django.utils.html import strip_tags


def _block_lines(block):
    kind, value = block.block_type, block.value
    if kind == "heading":
        return [f"## {value}"]
    if kind in ("paragraph",):
        return [strip_tags(value.source if hasattr(value, "source") else str(value))]
    if kind == "bullet_list":
        return [f"• {item}" for item in value]
    if kind == "read_more":
        page = value.get("article")
        return [f"Read more: {value.get('text') or (page.title if page else '')}"]
    if kind == "callout":
        text = value.get("text")
        return [
            f"[{value.get('tone')}] {value.get('title') or ''} {strip_tags(str(text))}".strip()
        ]
    if kind == "citation":
        return [f"Source: {value.get('title')} ({value.get('source')}) {value.get('url') or ''}"]
    if kind == "image":
        return [f"Image: {value.get('alt_text')}"]
    return [strip_tags(str(value))]


def article_lines(article):
    """The article as labelled lines of plain text, in reading order."""
    if article is None:
        return []
    lines = [f"Title: {article.title}", f"Summary: {article.summary}"]
    lines += [f"Key takeaway: {block.value}" for block in article.key_takeaways]
    for block in article.body:
        lines += [line for line in _block_lines(block) if line]
    reviewer = article.medical_reviewer
    lines.append(f"Author: {article.author.name if article.author_id else ''}")
    lines.append(f"Medical reviewer: {reviewer.byline if reviewer else '(none)'}")
    lines.append("Topics: " + ", ".join(sorted(t.name for t in article.topics.all())))
    return lines


def article_diff(old, new):
    """[(op, line)] where op is "same", "added" or "removed"."""
    marks = {" ": "same", "+": "added", "-": "removed"}
    return [
        (marks[line[0]], line[2:])
        for line in difflib.ndiff(article_lines(old), article_lines(new))
        if line[0] in marks
    ]
