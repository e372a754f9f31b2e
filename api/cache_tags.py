"""Cache tags: what each public response shows, and what each change affects.

Every API and frontend response names the things it shows in three headers,
one per kind of cache that reads them: ``xkey`` (Varnish with the xkey module),
``Surrogate-Key`` (Fastly) and ``Cache-Tag`` (Cloudflare). A change to published
content names the tags it affects (`changed`); once the transaction commits,
exactly the responses carrying one of them are dropped from the response cache
in Redis and in each process (`api.response_cache`) and purged from every CDN
(`api.tasks.cache_purge`, which retries until the CDN accepts).

The tags:

- ``vetted``: every response (a change of what is public for a whole section).
- ``article-<id>``: the article's detail, and every list and page that shows it.
- ``article-slug-<slug>``: the answer for that slug, so a 404 goes when an
  article with the slug appears.
- ``articles``: every article list, which an article entering or leaving the
  public set, or changing its list item, reorders.
- ``topic-<id>``, ``author-<id>``, ``reviewer-<id>``: that one's detail (a
  topic's article count, a person's bio); ``topics``, ``authors``,
  ``reviewers``: their lists and the 404s for their slugs.
- ``corrections``: the corrections log, which a correction going live adds to
  (an article leaving or entering the public set changes it through ``articles``).
"""

import threading
from contextlib import contextmanager
from functools import partial

from django.db import transaction

ALL = "vetted"
ARTICLES = "articles"
TOPICS = "topics"
AUTHORS = "authors"
REVIEWERS = "reviewers"
CORRECTIONS = "corrections"
HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")


def article(pk):
    return f"article-{pk}"


def article_slug(slug):
    return f"article-slug-{slug}"


def topic(pk):
    return f"topic-{pk}"


def author(pk):
    return f"author-{pk}"


def reviewer(pk):
    return f"reviewer-{pk}"


def response_tags_set(response, tags):
    """Name `tags` (with `ALL`) on `response` in each cache's header."""
    names = sorted({ALL, *tags})
    response.headers["xkey"] = " ".join(names)
    response.headers["Surrogate-Key"] = " ".join(names)
    response.headers["Cache-Tag"] = ",".join(names)


def response_tags(response):
    """The tags `response` names (empty when it names none)."""
    return set(response.headers.get("xkey", "").split())


# Tags collected while a page is built from several API responses (the reference
# frontend's in-process reads), so that the page names what all of them showed.
_collecting = threading.local()


@contextmanager
def collected():
    """Collect the tags of every response read inside the block into the set yielded."""
    outer = getattr(_collecting, "tags", None)
    _collecting.tags = tags = set()
    try:
        yield tags
    finally:
        _collecting.tags = outer
        if outer is not None:
            outer |= tags


def shown(tags):
    """Record that the page being built shows `tags` (see `collected`)."""
    collecting = getattr(_collecting, "tags", None)
    if collecting is not None:
        collecting |= set(tags)


def changed(tags, *, using=None):
    """Purge `tags` once the current transaction commits (at once outside one).

    Tags named in one transaction are purged together: the first of its commit
    callbacks takes them all, the others find nothing left. Tags of a
    transaction (or savepoint) that rolled back go with the next commit: purging
    more than changed is harmless, purging less never happens.
    """
    tags = set(tags)
    if not tags:
        return
    connection = transaction.get_connection(using)
    pending = connection.__dict__.setdefault("_vetted_changed_tags", set())
    pending |= tags
    if connection.in_atomic_block:
        transaction.on_commit(partial(_pending_purge, connection), using=using, robust=True)
    else:
        _pending_purge(connection)


def _pending_purge(connection):
    pending = connection.__dict__.get("_vetted_changed_tags")
    if not pending:
        return
    tags = sorted(pending)
    pending.clear()
    from . import tasks

    tasks.cache_purge_now_and_later(tags)
