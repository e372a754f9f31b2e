"""What the benchmark measures in-process: SQL per request, and approval to served.

Runs in the driver with `bench.settings` and the benchmark database, the same
code and data the server uses.
"""

import http.client
import time
import uuid
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content_models.models import ArticlePage


def _client():
    return Client(SERVER_NAME="127.0.0.1")


def queries_per_request(paths, *, repeat=2):
    """SQL queries each GET of `paths` runs, through the test Client (each path `repeat` times).

    Returns ``{"max", "first", "steady", "per_request"}``: the first request of a
    path may fill caches, the later ones show the steady state.
    """
    client = _client()
    counts = []
    for path in paths:
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
            counts.append(len(captured))
    return {
        "max": max(counts),
        "first": counts[0],
        "steady": counts[-1],
        "per_request": counts,
    }


def response_bodies(paths):
    """{path: body text} of our own responses, as the ceiling will serve them."""
    client = _client()
    bodies = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
        bodies[path] = response.content.decode("utf-8")
    return bodies


def http_get(base_url, path, *, timeout=30):
    """(status, body bytes) of one GET on the loopback server."""
    parts = urlsplit(base_url)
    connection_ = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection_.request("GET", path)
        response = connection_.getresponse()
        return response.status, response.read()
    finally:
        connection_.close()


def _fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def review_submit(*, page, writer, editor, marker, summary=False):
    """Edit a live article as a writer would and take it to the medical step.

    A new draft revision with `marker` in the first paragraph (and at the end of
    the summary with `summary`, which lists show), submitted to the `Medical
    review` workflow by `writer`, the editorial step approved by `editor`.
    Returns the medical task state and the clinician who may approve it.
    """
    draft = page.get_latest_revision_as_object()
    raw = [dict(block) for block in draft.body.raw_data]
    paragraph = next(block for block in raw if block["type"] == "paragraph")
    paragraph["value"] = paragraph["value"].replace(
        "</p>", f" This section was revised ({marker}).</p>", 1
    )
    draft.body = raw
    if summary:
        draft.summary = f"{draft.summary} (Revised: {marker}.)"
    draft.save_revision(user=writer, log_action=True)

    page = _fresh(page)
    page.get_workflow().start(page, writer)
    editorial = _fresh(page).current_workflow_task_state
    editorial.task.specific.on_action(editorial, editor, "approve", comment="")
    page = _fresh(page)
    return page.current_workflow_task_state, page.medical_reviewer.user


def approval_to_served(*, base_url, slug, writer, editor, timeout=30.0):
    """Seconds from the clinician's approval call to the first served detail with the edit.

    The live article is edited as a writer would (a new draft revision), taken
    through the real `Medical review` workflow (the editor approves the
    editorial step, then the assigned clinician approves through
    `MedicalReviewTask`), and the served API detail is polled until the new
    text appears, whatever caches sit in between.
    """
    page = ArticlePage.objects.get(slug=slug, live=True)
    marker = f"revised{uuid.uuid4().hex[:12]}"
    medical, clinician = review_submit(page=page, writer=writer, editor=editor, marker=marker)

    path = f"/api/v1/articles/{slug}/"
    started = time.perf_counter()
    medical.task.specific.on_action(medical, clinician, "approve", comment="Still accurate.")
    approved = time.perf_counter()
    polls = 0
    while time.perf_counter() - started < timeout:
        polls += 1
        status, body = http_get(base_url, path)
        if status == 200 and marker.encode() in body:
            served = time.perf_counter()
            return {
                "slug": slug,
                "seconds": round(served - started, 4),
                "approval_call_s": round(approved - started, 4),
                "polls": polls,
            }
        time.sleep(0.002)
    raise RuntimeError(f"The edit of {slug} was not served within {timeout:.0f}s of approval.")
