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


def search_words(*, sample=1_000):
    """``{"common": word, "tenth": word, "none": word}``: the word in the most articles,
    one in about one article in ten, and one in none, counted in the words of up to
    `sample` served documents spread over the whole set (`search_text`)."""
    import re
    from collections import Counter

    from api.models import ArticleDocument

    total = ArticleDocument.objects.count()
    step = max(1, total // sample)
    ids = ArticleDocument.objects.order_by("article_id").values_list("article_id", flat=True)
    chosen = list(ids[::step]) if step > 1 else list(ids)
    frequency = Counter()
    for text in ArticleDocument.objects.filter(article_id__in=chosen).values_list(
        "search_text", flat=True
    ):
        frequency.update(set(re.findall(r"[a-z]{6,}", text.lower())))
    common = frequency.most_common(1)[0][0]
    tenth = min(frequency, key=lambda word: (abs(frequency[word] / len(chosen) - 0.1), word))
    return {"common": common, "tenth": tenth, "none": "zyzzogeton"}


def queries_per_publish(*, seed):
    """SQL queries of one gated publish: ``revision.publish()`` of a revision its clinician
    approved, for a new article like the benchmark's (three topics, a "read more" link).

    The probe article is deleted afterwards, so the benchmark's data stays as built.
    """
    from django.db import transaction

    from . import build, content

    cast = build.cast_load()
    number = 10**9 + int(time.time())  # beyond any build
    text = content.article_text(number, seed=seed)
    target = ArticlePage.objects.live().order_by("pk").values_list("pk", "title").first()
    fields, topics = build.article_fields(cast=cast, text=text, read_more=target)
    page = build.draft_create(cast=cast, text=text, fields=fields, topics=topics)
    try:
        revision = page.save_revision(user=cast.writer, log_action=True)
        build.approval_record_checked(
            revision=revision, reviewer_user=fields["medical_reviewer"].user
        )
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            revision.publish(user=cast.editor)
        return len(captured)
    finally:
        ArticlePage.objects.get(pk=page.pk).delete()


def shared_save(*, base_url, timeout=600.0):
    """Save the author shown on the most articles (a new bio: not clinical, so it reaches
    every document) as the admin would, and follow the rewrite to the last document.

    Returns the seconds the save took (the editor's wait), the documents that show
    the author, and the seconds until the served detail of the last of them shows
    the new bio, with the rewrite rate. The task worker (`manage.py db_worker`) must
    be running.
    """
    import json

    from django.db.models import Count

    from api.models import ArticleDocument
    from content_models.models import Author

    busiest = (
        ArticleDocument.objects.values("author_id")
        .annotate(shown=Count("pk"))
        .order_by("-shown", "author_id")
        .first()
    )
    author = Author.objects.get(pk=busiest["author_id"])
    marker = f"Bio checked {uuid.uuid4().hex[:8]}."
    author.bio = marker
    started = time.monotonic()
    author.save()
    saved_s = time.monotonic() - started
    last = (
        ArticleDocument.objects.filter(author_id=author.pk)
        .order_by("-article_id")
        .values_list("slug", flat=True)
        .first()
    )
    deadline = time.monotonic() + timeout
    visible_s = None
    while time.monotonic() < deadline:
        status, body = http_get(base_url, f"/api/v1/articles/{last}/")
        if status == 200 and json.loads(body)["author"].get("bio") == marker:
            pending = ArticleDocument.objects.filter(author_id=author.pk).exclude(
                detail__contains=marker
            )
            if not pending.exists():
                visible_s = time.monotonic() - started
                break
        time.sleep(0.05)
    shown = busiest["shown"]
    return {
        "author": author.slug,
        "documents": shown,
        "save_s": round(saved_s, 4),
        "all_visible_s": None if visible_s is None else round(visible_s, 3),
        "rewrite_per_s": None if not visible_s else round(shown / visible_s, 1),
    }


def position_at(*, fraction):
    """The `after` position of the public article `fraction` of the way down the default
    list: the `next` link a reader following the list from the start would get there."""
    from api import lists, selectors

    documents = selectors.article_documents()
    index = max(0, int(fraction * documents.count()) - 1)
    key, article_id = documents.values_list("first_published_at", "article_id")[index]
    return lists.cursor_write(
        ordering=selectors.DEFAULT_ARTICLE_ORDERING, key=key, article_id=article_id
    )
