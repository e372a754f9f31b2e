"""The reference frontend's only source of content: the public delivery API.

The frontend reads exactly the JSON a remote frontend would receive, which is
what proves the API is enough. It reads it in-process: the API path is
resolved and its view called with a GET request built for it. An HTTP call to
itself would hold a worker while waiting for another one, and a single sync
worker would deadlock.

Every read returns the parsed JSON of a 200 response; anything else raises
`ApiError` (`ApiNotFound` for a 404), carrying the status and the API's own
explanation.
"""

import io
import json
import logging
from urllib.parse import urlencode

from django.core.handlers.wsgi import WSGIRequest
from django.urls import get_script_prefix, resolve, reverse

from api import cache_tags
from api.throttling import in_process_mark

logger = logging.getLogger(__name__)

# What the API learns from the reader's request: where it is served (the host the
# API's own checks and absolute addresses use). Not who is asking: the request is
# the frontend's own, marked so that no rate limit counts it (`api.throttling`).
_FORWARDED_META = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
)


class ApiError(Exception):
    """The API did not answer 200. `detail` is its JSON explanation (a string or a dict)."""

    def __init__(self, *, status, detail):
        super().__init__(f"API answered {status}: {detail}")
        self.status = status
        self.detail = detail


class ApiNotFound(ApiError):
    """The API has nothing published at that address (404)."""


def article(*, request, slug):
    return api_get(request=request, endpoint="article-detail", slug=slug)


def articles(*, request, page=1, page_size=10, **filters):
    """One page of published article summaries; `filters` are `topic`, `author`, `reviewer`."""
    params = {"page": page, "page_size": page_size}
    params |= {name: value for name, value in filters.items() if value}
    return api_get(request=request, endpoint="article-list", params=params)


def topic(*, request, slug):
    return api_get(request=request, endpoint="topic-detail", slug=slug)


def topics(*, request):
    return api_get(request=request, endpoint="topic-list", params={"page_size": 100})["results"]


def author(*, request, slug):
    return api_get(request=request, endpoint="author-detail", slug=slug)


def reviewer(*, request, slug):
    return api_get(request=request, endpoint="reviewer-detail", slug=slug)


def preview(*, request, content_type, token):
    """The draft a preview token was issued for; the API checks the token."""
    params = {"content_type": content_type, "token": token}
    params = {name: value for name, value in params.items() if value is not None}
    return api_get(request=request, endpoint="preview", params=params)


def api_get(*, request, endpoint, params=None, **kwargs):
    """GET the API endpoint named `endpoint` (in the ``api`` URL namespace) for `request`."""
    path = reverse(f"api:{endpoint}", kwargs=kwargs or None)
    path_info = "/" + path.removeprefix(get_script_prefix())
    match = resolve(path_info)
    api_request = _api_request(origin=request, path_info=path_info, params=params or {})
    api_request.resolver_match = match
    try:
        response = match.func(api_request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        # The page built from this response shows what it shows (`api.cache_tags`).
        cache_tags.shown(cache_tags.response_tags(response))
        body = json.loads(response.content) if response.content else None
    except Exception as error:
        # The API failed rather than answered: the page says so instead of a bare 500.
        logger.exception("The delivery API failed on GET %s", path)
        raise ApiError(status=500, detail="The delivery API failed.") from error
    if response.status_code == 200:
        return body
    detail = body.get("detail", body) if isinstance(body, dict) else body
    error_class = ApiNotFound if response.status_code == 404 else ApiError
    raise error_class(status=response.status_code, detail=detail)


def report_send(*, request, slug, data):
    """POST a reader's report of article `slug` (`feedback.api`) for `request`'s reader.

    Unlike a read, the request is counted as the reader's own (their address goes
    along), so the report limits apply to each reader, not to the frontend. Returns
    the 201's JSON; any other answer raises `ApiError` with the API's explanation
    (for a 400, each bad field with what is wrong).
    """
    path = reverse("api:article-feedback", kwargs={"slug": slug})
    path_info = "/" + path.removeprefix(get_script_prefix())
    match = resolve(path_info)
    body = json.dumps(data).encode()
    api_request = _api_request(
        origin=request, path_info=path_info, params={}, method="POST", body=body
    )
    for key in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"):
        if key in request.META:
            api_request.META[key] = request.META[key]
    api_request.resolver_match = match
    response = match.func(api_request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    answer = json.loads(response.content) if response.content else None
    if response.status_code == 201:
        return answer
    detail = answer.get("detail", answer) if isinstance(answer, dict) else answer
    error_class = ApiNotFound if response.status_code == 404 else ApiError
    raise error_class(status=response.status_code, detail=detail)


def _api_request(*, origin, path_info, params, method="GET", body=b""):
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": get_script_prefix().rstrip("/"),
        "PATH_INFO": path_info,
        "QUERY_STRING": urlencode(params, doseq=True),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_ACCEPT": "application/json",
        "wsgi.url_scheme": origin.scheme,
        "wsgi.input": io.BytesIO(body),
    }
    if body:
        environ |= {"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body))}
    environ |= {key: origin.META[key] for key in _FORWARDED_META if key in origin.META}
    api_request = WSGIRequest(environ)
    if method == "GET":
        in_process_mark(api_request)
    return api_request
