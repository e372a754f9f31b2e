"""Schemathesis against the delivery API's own OpenAPI document, every operation.

The schema is loaded from the app in-process (WSGI, no server) and every
operation is called with generated input, valid and invalid: schemathesis's
checks (no 5xx, documented status code, content type, headers and body
schema, valid input accepted, invalid input refused) plus ours: nothing
hidden ever appears. Generated slugs and query values are mixed with the
slugs of public and hidden content and with a real preview token, so the
fuzzer reaches real articles and tries the hidden ones.

CI runs a few examples per operation; ``make fuzz`` runs thousands
(``VETTED_FUZZ_EXAMPLES``). Each finding is kept as a plain regression test in
tests/api/test_fuzz_regressions.py.
"""

import datetime
import os
from urllib.parse import unquote

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.failures import Failure

from api import lists, selectors
from cms.wsgi import application

from . import tally
from .content import HIDDEN, HIDDEN_MARKER, fuzz_content, known_slugs

# CI's bounded run is the same every time; a longer one asked for explores anew.
EXAMPLES = int(os.environ.get("VETTED_FUZZ_EXAMPLES", "0")) or 20
REPEATABLE = "VETTED_FUZZ_EXAMPLES" not in os.environ

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)

# The valid preview token of the running test (tokens are signed when the content is built).
_preview_tokens = []

_KIND_OF_PATH = {
    "/api/v1/articles/{slug}/": "article",
    "/api/v1/articles/{slug}/feedback/": "article",
    "/api/v1/authors/{slug}/": "author",
    "/api/v1/reviewers/{slug}/": "reviewer",
    "/api/v1/topics/{slug}/": "topic",
}
HIDDEN_MARKERS = [HIDDEN_MARKER, *(slug for slugs in HIDDEN.values() for slug in slugs)]
_SLUG_FILTERS = {"topic": "topic", "author": "author", "reviewer": "reviewer"}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    kind = _KIND_OF_PATH.get(context.operation.path)
    if kind is None or not isinstance(path_parameters.get("slug"), str):
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(known_slugs(kind)).map(lambda slug: {**path_parameters, "slug": slug}),
    )


@schema.hook
def flatmap_query(context, query):
    if not isinstance(query, dict):
        return st.just(query)
    options = [st.just(query)]
    for name, kind in _SLUG_FILTERS.items():
        if isinstance(query.get(name), str):
            options.append(
                st.sampled_from(known_slugs(kind)).map(lambda slug, n=name: {**query, n: slug})
            )
    # Random slugs are almost always a 400: without them the rest (search above all) is
    # run against real articles.
    if any(name in query for name in _SLUG_FILTERS):
        options.append(st.just({k: v for k, v in query.items() if k not in _SLUG_FILTERS}))
    if "token" in query:
        options.append(st.builds(lambda: {**query, "token": _preview_tokens[-1]}))
    if "after" in query:
        # A random `after` is a position no list has (a 404); one a `next` link would
        # carry is run against the articles too.
        options.append(st.builds(lambda: {**query, "after": _position(query)}))
    # Schemathesis judges a case again after these hooks: an invalid case they make valid
    # is held to what valid input gets, and the other way round.
    return st.one_of(options)


def _position(query):
    """An `after` position in the query's ordering, as a `next` link would carry one."""
    ordering = query.get("ordering")
    if ordering not in selectors.ARTICLE_ORDERINGS:
        ordering = selectors.DEFAULT_ARTICLE_ORDERING
    column, _descending = lists.ordering_key(ordering)
    key = "M" if column == "title" else datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    return lists.cursor_write(ordering=ordering, key=key, article_id=1)


def nothing_hidden(ctx, response, case):
    """No response but a valid preview's shows hidden content: its marker word, or a
    hidden slug that the request did not send itself."""
    if case.operation.path == "/api/v1/preview/" and response.status_code == 200:
        return None
    text = response.text.lower()
    sent = unquote(response.request.url).lower()
    leaked = [marker for marker in HIDDEN_MARKERS if marker in text and marker not in sent]
    if leaked:
        raise Failure(
            operation=case.operation.label,
            title="Hidden content leaked",
            message=f"The response contains {', '.join(leaked)}: from a draft, an unapproved "
            "edit, or unpublished or private content.",
        )
    return None


@pytest.fixture
def content():
    _preview_tokens.append(fuzz_content())
    yield
    _preview_tokens.clear()


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """Pitfall: the app is called as a plain WSGI application, and Django closes the
    database connection when a request starts and finishes if it is in a transaction,
    which throws away the test's own (on PostgreSQL; SQLite's in-memory database shrugs
    it off). Django's test client unhooks the same receiver for the same reason."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=REPEATABLE,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, content):
    response = None
    try:
        response = case.call()
        # Schemathesis's positive_data_acceptance runs too: schema-valid input is
        # never refused (a well-formed slug nothing public has lists nothing).
        case.validate_response(response, additional_checks=[nothing_hidden])
    except BaseException:
        tally.record(case.operation.label, status=_status(response), ok=False)
        raise
    tally.record(case.operation.label, status=response.status_code, ok=True)


def _status(response):
    return None if response is None else response.status_code
