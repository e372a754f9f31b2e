"""What changed between two reader documents, field by field, as a clinician reads it.

Both sides are reader documents (`reader.document`), so every field a reader
gets is compared, link targets, image files and citation ids included. A
document is read as a list of labelled fields in reading order; fields are
aligned, and a field whose text changed is compared word by word.
"""

import difflib
import re
from html import unescape

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
# How markup that readers see shows in the comparison, so a change to it is a change.
_MARKUP = [
    (re.compile(r"</?(?:b|strong)>"), "**"),
    (re.compile(r"</?(?:i|em)>"), "_"),
    (re.compile(r"<sup>"), "^("),
    (re.compile(r"<sub>"), "_("),
    (re.compile(r"</su[bp]>"), ")"),
    (re.compile(r"<li>"), " • "),
    (re.compile(r"<(?:ul|ol)>"), " [list: "),
    (re.compile(r"</(?:ul|ol)>"), " ] "),
    (re.compile(r"<br\s*/?>"), " [line break] "),
    (re.compile(r"</p>\s*<p>"), " [new paragraph] "),
]
_WORDS = re.compile(r"\s*\S+\s*")


def document_fields(document):
    """`document` as ``[(label, text)]`` in reading order; empty for None."""
    if document is None:
        return []
    fields = [
        ("Title", document["title"]),
        ("Address (slug)", document["slug"]),
        ("SEO title", document["seo_title"]),
        ("Search description", document["search_description"]),
        ("Summary", document["summary"]),
        ("Public correction note", document.get("correction", "")),
    ]
    fields += [("Key takeaway", takeaway) for takeaway in document["key_takeaways"]]
    for block in document["body"]:
        fields += _block_fields(block["type"], block["value"])
    fields += [("Topic", f"{topic['name']} ({topic['slug']})") for topic in document["topics"]]
    author = document["author"]
    fields.append(("Author", f"{author['name']} ({author['slug']})" if author else ""))
    reviewer = document["medical_reviewer"]
    if reviewer:
        fields += [
            ("Medical reviewer", reviewer["name"]),
            ("Medical reviewer credentials", reviewer["credentials"]),
            ("Medical reviewer profile", reviewer["slug"]),
            ("Medical reviewer specialty", reviewer["specialty"]),
            ("Medical reviewer organisation", reviewer["organization"]),
        ]
    return [(label, text) for label, text in fields if text]


def _rich_text(html):
    """Rich text as a reader reads it, with each link's target written after its text."""
    text = _LINK.sub(lambda link: f"{link[2]} [link: {link[1]}]", html or "")
    for tag, shown in _MARKUP:
        text = tag.sub(shown, text)
    return " ".join(unescape(_TAG.sub(" ", text)).split())


def _block_fields(kind, value):
    if kind == "heading":
        return [("Section heading", value)]
    if kind == "paragraph":
        return [("Paragraph", _rich_text(value))]
    if kind == "bullet_list":
        return [("Bullet point", item) for item in value]
    if kind == "read_more":
        return [
            ("Read more", f"{value['text']} [link: {value['title']}, {value['path']}]"),
            ("Read more target", value["slug"]),
        ]
    if kind == "image":
        return [
            (
                "Image file",
                f"{value['url']} ({value['width']}×{value['height']}, "
                f"file SHA-1 {value['file_hash']})",
            ),
            ("Image alt text", value["alt"]),
            ("Image caption", value["caption"] or ""),
        ]
    if kind == "callout":
        return [
            ("Callout", f"{value['tone']}: {value['title'] or ''}".rstrip(": ")),
            ("Callout text", _rich_text(value["text"])),
        ]
    if kind == "citation":
        return [
            ("Citation", value["title"]),
            ("Citation source", value["source"]),
            ("Citation address", value["url"] or ""),
            ("Citation DOI", value["doi"] or ""),
            ("Citation PubMed ID", value["pubmed_id"] or ""),
            ("Citation accessed", value["accessed"] or ""),
        ]
    return [(kind, str(value))]


def document_diff(old, new):
    """Every field of `new` (and each one `old` had that `new` lacks), in reading order.

    Each entry is ``{"label", "status", "old", "new", "words"}``: status is
    ``same``, ``added``, ``removed`` or ``changed``; for a changed field,
    ``words`` is ``[(op, text)]`` with op ``same``, ``added`` or ``removed``.
    """
    before, after = document_fields(old), document_fields(new)
    entries = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            entries += [_entry("same", label, text, text) for label, text in after[b1:b2]]
            continue
        removed, added = list(before[a1:a2]), list(after[b1:b2])
        for label, text in added:
            partner = next((item for item in removed if item[0] == label), None)
            if partner is not None:
                removed.remove(partner)
                entries.append(_entry("changed", label, partner[1], text))
            else:
                entries.append(_entry("added", label, None, text))
        entries += [_entry("removed", label, text, None) for label, text in removed]
    return entries


def document_changes(old, new):
    """``[(label, old text, new text)]`` of the fields that differ between two documents."""
    return [
        (entry["label"], entry["old"], entry["new"])
        for entry in document_diff(old, new)
        if entry["status"] != "same"
    ]


def _entry(status, label, old, new):
    words = _word_diff(old, new) if status == "changed" else []
    return {"label": label, "status": status, "old": old, "new": new, "words": words}


def _word_diff(old, new):
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    words = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            words.append(("same", "".join(a[a1:a2])))
            continue
        if a1 < a2:
            words.append(("removed", "".join(a[a1:a2])))
        if b1 < b2:
            words.append(("added", "".join(b[b1:b2])))
    return words
