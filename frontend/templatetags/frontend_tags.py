"""Template filters for rendering the delivery API's JSON."""

import datetime
import json

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element early, as JSON escapes
# (the same ones Django's `json_script` escapes).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def api_datetime(value):
    """An ISO 8601 date or time from the API as a `datetime`/`date` (None if absent)."""
    if not value:
        return None
    return parse_datetime(value) or parse_date(value)


@register.filter
def iso_date(value):
    """The calendar date of an API time, for ``<time datetime=…>``."""
    moment = api_datetime(value)
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment.isoformat() if moment else ""


@register.filter
def web_url(value):
    """`value` if it is an http(s) address, else "": stored URLs never become script links."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return ""


@register.filter
def ld_json(value):
    """`value` as JSON safe to place inside ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
