"""A stable fingerprint of the content a clinician approves.

The fingerprint covers the fields a page lists in ``reviewed_fields``: what a
reader sees and who vouches for it. It ignores bookkeeping (revision ids,
publish dates, review metadata), so the same text gives the same fingerprint
whether it comes from a revision, the live row, a revert or a re-saved form.
"""

import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder

# Draftail tags each rich-text paragraph with a key for its own bookkeeping.
_EDITOR_BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


def _without_block_ids(value):
    """Drop editor bookkeeping (block ids and keys) that readers never see."""
    if isinstance(value, str):
        return _EDITOR_BLOCK_KEY.sub("", value)
    if isinstance(value, list):
        return [_without_block_ids(item) for item in value]
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {
            key: _without_block_ids(item)
            for key, item in value.items()
            if not (is_block and key == "id")
        }
    return value


def _normalise(value):
    if isinstance(value, str):
        # StreamField content serialises as a JSON string in revisions but as a
        # list on the instance; compare the data, not its encoding.
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        value = decoded if isinstance(decoded, list | dict) else value
    return _without_block_ids(value)


def reviewed_content(page):
    """The reviewed fields of `page` as plain data."""
    data = page.serializable_data()
    content = {}
    for name in page.reviewed_fields:
        value = _normalise(data.get(name))
        if isinstance(value, list) and all(isinstance(item, int) for item in value):
            value = sorted(value)  # many-to-many ids: order carries no meaning
        content[name] = value
    return content


def content_fingerprint(page):
    payload = json.dumps(
        reviewed_content(page), sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
