"""The ceiling: a bare Django view that returns our detail bytes from memory.

It runs behind the same server, workers and middleware as the API, with no
database, serializer or cache: the fastest any detail endpoint could answer on
this stack. The bytes are our own detail responses, written by the driver to
``settings.BENCH_CEILING_FILE`` (``{slug: body}``) before the server starts;
each worker reads the file once.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse

_BODIES = None


def _bodies():
    global _BODIES
    if _BODIES is None:
        path = settings.BENCH_CEILING_FILE
        if not path:
            return {}
        with open(path, encoding="utf-8") as stored:
            _BODIES = {slug: body.encode("utf-8") for slug, body in json.load(stored).items()}
    return _BODIES


def ceiling_detail(request, slug):
    body = _bodies().get(slug)
    if body is None:
        raise Http404("The driver stored no bytes for this slug.")
    return HttpResponse(body, content_type="application/json")
