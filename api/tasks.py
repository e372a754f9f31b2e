"""Background work of the delivery API, on Wagtail's task framework (django-tasks).

`documents_rewrite_shown` rewrites, in batches, the delivery documents that show
a person, topic or image that was saved (`api.documents.documents_rewrite_soon`).

`cache_purge_now_and_later` runs once a change has committed
(`api.cache_tags.changed`): this process's and Redis's cached responses for
the changed tags go at once, and the CDN purge is enqueued as `cache_purge`.
With the database backend (django-tasks-db, ``manage.py db_worker``) the task
is a row in the same database: a purge the CDN refuses, or that cannot reach
it, is enqueued again with a growing delay until it is accepted, so a takedown
is never lost to a CDN or Redis that hiccups.
"""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.options import vetted_option

from . import purging, response_cache

logger = logging.getLogger(__name__)

# Documents rewritten per transaction: each holds the rows it writes for well under 1 s.
REWRITE_BATCH = 25

# Delays between attempts at a purge the CDN did not accept: 1 s doubling to 5 min.
RETRY_FIRST_SECONDS = 1
RETRY_MAX_SECONDS = 300


def cache_purge_now_and_later(tags):
    """Invalidate the response cache for `tags` now, and purge the CDNs in the background."""
    invalidated = True
    try:
        response_cache.tags_invalidate(tags)
    except Exception:
        # The change has committed: the purge task invalidates again.
        logger.exception("Could not invalidate cached API responses for %s", tags)
        invalidated = False
    # Nothing to enqueue when Redis took the invalidation and no CDN is configured.
    if not invalidated or purging.backends() or purging.urls_configured():
        cache_purge.enqueue(
            tags=list(tags), invalidate=not invalidated, invalidated_at=time.time()
        )


@task()
def cache_purge(*, tags, invalidate=False, invalidated_at=None, attempt=1, backend_names=None):
    """Purge `tags` from the configured CDNs (only `backend_names`, when given), and
    first from the response cache when `invalidate`; retried until each accepts.

    Responses that app processes keep in memory may be served for up to
    `response_cache.NEAR_SECONDS` after the invalidation: a CDN purged in that
    moment could fetch and keep one of them, so the purge waits it out.
    """
    if invalidate:
        response_cache.tags_invalidate(tags)
        invalidated_at = time.time()
    if response_cache.enabled() and invalidated_at is not None:
        time.sleep(max(0.0, invalidated_at + response_cache.NEAR_SECONDS - time.time()))
    configured = purging.backends()
    failed = []
    for name, backend in configured.items():
        if backend_names is not None and name not in backend_names:
            continue
        try:
            backend.purge(list(tags))
        except purging.PurgeFailed as error:
            logger.warning("Purge of %s failed (attempt %s): %s", tags, attempt, error)
            failed.append(name)
    if attempt == 1:
        purging.urls_purge(purging.urls_for(tags))
    if failed:
        _retry(tags=tags, attempt=attempt, backend_names=failed)
    return {"purged": sorted(set(configured) - set(failed)), "failed": failed}


def _retry(*, tags, attempt, backend_names):
    deadline = vetted_option("CACHE_PURGE_RETRY_HOURS") * 3600
    delay = min(RETRY_FIRST_SECONDS * 2 ** (attempt - 1), RETRY_MAX_SECONDS)
    elapsed = sum(min(RETRY_FIRST_SECONDS * 2**n, RETRY_MAX_SECONDS) for n in range(attempt))
    if elapsed > deadline:
        logger.error("Gave up purging %s from %s after %s attempts", tags, backend_names, attempt)
        return
    if not cache_purge.get_backend().supports_defer:
        # The immediate backend (tests, a demo without a worker) runs tasks in the
        # request: nothing durable to retry from.
        logger.error(
            "Purge of %s from %s not retried: no durable task backend", tags, backend_names
        )
        return
    cache_purge.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        tags=tags, attempt=attempt + 1, backend_names=backend_names
    )


@task()
def documents_rewrite_shown(*, kind, ids, after=None):
    """Rewrite the next `REWRITE_BATCH` documents (by article id, past `after`) that
    show `ids` of `kind`, then enqueue the rest.

    The next batch is enqueued in the transaction that writes this one, so a
    worker that dies leaves either this batch to do again or the next one
    queued: no document is skipped. Returns how many this run rewrote.
    """
    from .documents import documents_rewrite

    with transaction.atomic():
        done = documents_rewrite(kind=kind, ids=ids, after=after, limit=REWRITE_BATCH)
        if len(done) == REWRITE_BATCH:
            # There may be more (a last run may find none left).
            documents_rewrite_shown.enqueue(kind=kind, ids=ids, after=done[-1])
    return len(done)
