"""Build the benchmark's articles, each published through the clinical gate.

Every article is created as a draft (``add_child``), saved as a revision,
approved by its assigned clinician (`workflows.services.approval_record`,
after `workflows.rules` agrees the clinician may approve it) and published
with ``revision.publish()``, which the gate in `workflows.gate` checks. This
skips the editorial step and the workflow's bookkeeping, not the gate: a
publish without a covering approval is refused and the build stops.

Rerunning builds only the articles that are missing (or left as drafts by an
interrupted run); the same number and seed always give the same article.

On PostgreSQL the build runs in `jobs` processes. Article n goes to process
n mod jobs; the tree insert is serialised by an advisory lock, and an
article waits until the earlier article it links to ("read more") is live,
so every document is written with its link resolved. Waits only ever point
at smaller numbers, so they cannot form a cycle.
"""

import datetime
import multiprocessing
import random
import sys
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.search import index as search_index
from wagtail.search import signal_handlers as search_signals
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.demo import article_index_ensure, home_page_ensure
from cms.roles import roles_ensure
from content_models.models import ArticleIndexPage, ArticlePage, Author, MedicalReviewer, Topic
from content_models.models.people import interests_declare
from workflows import rules
from workflows.roles import CLINICIANS, EDITORS, WRITERS
from workflows.services import approval_record, medical_review_workflow_ensure

from . import build_process, content

WRITER = "bench-writer"
EDITOR = "bench-editor"
INDEX_BATCH = 500  # articles per bulk search-index write (each rescans the index)
VERIFIED_FOR = datetime.timedelta(days=5 * 365)
LAPSES_AFTER = datetime.timedelta(days=365)
TREE_LOCK = 4_147_001  # pg_advisory_xact_lock key: one tree insert at a time
LINK_WAIT_SECONDS = 600


class BenchCast:
    """The people, topics and index every benchmark article is written with."""

    def __init__(self, *, index, writer, editor, authors, reviewers, topics):
        self.index = index
        self.writer = writer
        self.editor = editor
        self.authors = authors
        self.reviewers = reviewers
        self.topics = topics


def _user_ensure(username, group):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@bench.invalid"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return user


def _get_or_create(model, *, slug, **fields):
    # Never re-save a row that exists: saving a topic or a person may rewrite
    # every article that shows it.
    return model.objects.get_or_create(slug=slug, defaults=fields)[0]


@transaction.atomic
def cast_ensure():
    index = article_index_ensure(home=home_page_ensure())
    groups = roles_ensure(article_index=index)
    medical_review_workflow_ensure(page=index, editors_group=groups[EDITORS])
    _user_ensure(WRITER, groups[WRITERS])
    _user_ensure(EDITOR, groups[EDITORS])
    for name in content.TOPICS:
        _get_or_create(Topic, slug=slugify(name), name=name)
    for name, about in content.AUTHORS:
        _get_or_create(
            Author, slug=f"bench-{slugify(name)}", name=name, bio=content.person_bio(name, about)
        )
    for number, (name, credentials, specialty, organization) in enumerate(content.REVIEWERS):
        user = _user_ensure(f"bench-clinician-{number + 1}", groups[CLINICIANS])
        reviewer = _get_or_create(
            MedicalReviewer,
            slug=f"bench-{slugify(name)}",
            name=name,
            credentials=credentials,
            specialty=specialty,
            organization=organization,
            bio=content.person_bio(name, f"practises {specialty.lower()}"),
            user=user,
            credentials_verified_until=timezone.localdate() + VERIFIED_FOR,
        )
        if reviewer.credentials_verified_until < timezone.localdate() + LAPSES_AFTER:
            # Verified again before it lapses (a reviewer whose verification lapsed
            # cannot approve): the update the admin would make, no more.
            reviewer.credentials_verified_until = timezone.localdate() + VERIFIED_FOR
            reviewer.save(update_fields=["credentials_verified_until"])
        if rules.declaration_refusal(reviewer=reviewer) is not None:
            # A reviewer declares their interests before approving: none, here.
            interests_declare(reviewer=reviewer, declared_by=user, interests=[])
    return cast_load()


def cast_load():
    """The cast `cast_ensure` made, read without writing anything."""
    User = get_user_model()
    by_slug = {topic.slug: topic for topic in Topic.objects.all()}
    authors = {author.slug: author for author in Author.objects.all()}
    reviewers = {
        reviewer.slug: reviewer for reviewer in MedicalReviewer.objects.select_related("user")
    }
    return BenchCast(
        index=ArticleIndexPage.objects.get(),
        writer=User.objects.get(username=WRITER),
        editor=User.objects.get(username=EDITOR),
        authors=[authors[f"bench-{slugify(name)}"] for name, _about in content.AUTHORS],
        reviewers=[reviewers[f"bench-{slugify(row[0])}"] for row in content.REVIEWERS],
        topics=[by_slug[slugify(name)] for name in content.TOPICS],
    )


def approve_and_publish(*, revision, reviewer_user, publisher):
    """The clinician approves exactly `revision`; then it is published through the gate."""
    approval_record_checked(revision=revision, reviewer_user=reviewer_user)
    revision.publish(user=publisher)


def approval_record_checked(*, revision, reviewer_user):
    """The clinician approves exactly `revision`, once `workflows.rules` agrees they may."""
    article = revision.as_object()
    reason = rules.medical_review_refusal(user=reviewer_user, article=article)
    if reason is not None:
        raise RuntimeError(f"The benchmark's clinician may not approve {article.slug}: {reason}")
    approval_record(
        article=article,
        revision=revision,
        reviewer_user=reviewer_user,
        comment="Checked for the benchmark.",
    )


def link_target(number, *, seed):
    """The number of the earlier article that article `number` links to, or None for the first."""
    if number == 0:
        return None
    return random.Random(f"{seed}:{number}:link").randrange(number)


def _live_link(target, *, seed, wait):
    """``(pk, title)`` of live article `target`; waits for it when another process builds it."""
    slug = content.article_text(target, seed=seed).slug
    deadline = time.monotonic() + (LINK_WAIT_SECONDS if wait else 0)
    while True:
        found = ArticlePage.objects.filter(slug=slug, live=True).values_list("pk", "title")
        if found:
            return found[0]
        if time.monotonic() >= deadline:
            raise RuntimeError(f"Article {target} ({slug}) never went live.")
        time.sleep(0.05)


def draft_create(*, cast, text, fields, topics):
    """Article `text` as a draft in the tree (or the draft an interrupted run left)."""
    with transaction.atomic():
        existing = ArticlePage.objects.filter(slug=text.slug).first()
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.topics = topics
            return existing
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK])
        # Read inside the lock: the tree insert computes the new path from it.
        index = ArticleIndexPage.objects.get(pk=cast.index.pk)
        page = ArticlePage(slug=text.slug, owner=cast.writer, live=False, **fields)
        page.topics = topics
        index.add_child(instance=page)
        return page


def article_publish(*, cast, number, seed, wait_for_links):
    """Create article `number` as a draft and publish it through the gate; returns its pk."""
    text = content.article_text(number, seed=seed)
    target = link_target(number, seed=seed)
    read_more = None if target is None else _live_link(target, seed=seed, wait=wait_for_links)
    fields, topics = article_fields(cast=cast, text=text, read_more=read_more)
    page = draft_create(cast=cast, text=text, fields=fields, topics=topics)
    with transaction.atomic():
        revision = page.save_revision(user=cast.writer, log_action=True)
        approve_and_publish(
            revision=revision,
            reviewer_user=fields["medical_reviewer"].user,
            publisher=cast.editor,
        )
    return page.pk


def article_fields(*, cast, text, read_more):
    """``(fields, topics)`` of the article of `text`, its people and topics drawn by its rng."""
    rng = text.rng
    reviewer = rng.choice(cast.reviewers)
    fields = {
        "title": text.title,
        "summary": text.summary,
        "key_takeaways": text.key_takeaways,
        "body": text.body(read_more=read_more),
        "author": rng.choice(cast.authors),
        "medical_reviewer": reviewer,
    }
    return fields, rng.sample(cast.topics, 3)


@contextmanager
def search_index_deferred():
    """Index the articles published inside the block in bulk, INDEX_BATCH at a time.

    Wagtail's search backend updates its index on every save of an indexed
    model (four per article here), and the PostgreSQL backend recomputes its
    title statistics over the whole index each time: quadratic at 100,000
    articles. The index ends up the same; only the number of writes changes.
    Yields ``add(pk)``; whatever was added is indexed by the end of the block.
    Meanwhile the save handlers are disconnected (each would read the saved
    row back only to find auto-update off), in this process only.
    """
    configured = settings.WAGTAILSEARCH_BACKENDS
    pending = []
    indexed_models = [
        model
        for model in search_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]

    def flush():
        if pending:
            articles_index(list(pending), backends=configured)
            pending.clear()

    def add(pk):
        pending.append(pk)
        if len(pending) >= INDEX_BATCH:
            flush()

    for model in indexed_models:
        post_save.disconnect(search_signals.post_save_signal_handler, sender=model)
    try:
        with override_settings(
            WAGTAILSEARCH_BACKENDS={
                name: {**config, "AUTO_UPDATE": False} for name, config in configured.items()
            }
        ):
            try:
                yield add
            finally:
                flush()
    finally:
        for model in indexed_models:
            post_save.connect(search_signals.post_save_signal_handler, sender=model)


def articles_index(pks, *, backends=None):
    """Index articles `pks` in the search backends (`backends`: the configured ones, read
    outside `search_index_deferred`), INDEX_BATCH at a time."""
    backends = settings.WAGTAILSEARCH_BACKENDS if backends is None else backends
    pks = sorted(pks)
    for start in range(0, len(pks), INDEX_BATCH):
        articles = list(
            ArticlePage.objects.filter(pk__in=pks[start : start + INDEX_BATCH])
            .select_related("author", "medical_reviewer")
            .prefetch_related("topics")
        )
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(ArticlePage, articles)


def _unindexed_live_articles():
    """Live articles the search index lacks (an interrupted build's last batch)."""
    indexed = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage),
        object_id=Cast(OuterRef("pk"), TextField()),
    )
    return list(ArticlePage.objects.live().filter(~Exists(indexed)).values_list("pk", flat=True))


def worker_run(numbers, *, seed, on_published, wait_for_links):
    """Publish articles `numbers` in order, calling `on_published()` after each.

    Wagtail's reference index (the admin's "usage" counts) is not kept for the
    benchmark's articles: nothing measured reads it, and it costs a sixth of
    each publish. ``manage.py rebuild_references_index`` fills it in when the
    benchmark database is browsed in the admin.
    """
    cast = cast_load()
    with disable_reference_index_auto_update(), search_index_deferred() as indexed_later:
        for number in numbers:
            indexed_later(
                article_publish(cast=cast, number=number, seed=seed, wait_for_links=wait_for_links)
            )
            on_published()


def _read_more_first(*, cast, seed):
    """Article 0 had nothing to link to when it was written: link it to article 1."""
    first = ArticlePage.objects.filter(slug=content.article_text(0, seed=seed).slug).first()
    target = ArticlePage.objects.filter(
        slug=content.article_text(1, seed=seed).slug, live=True
    ).first()
    if first is None or target is None:
        return
    if any(block.block_type == "read_more" for block in first.body):
        return
    draft = first.get_latest_revision_as_object()
    draft.body.append(("read_more", {"article": target, "text": ""}))
    with transaction.atomic():
        revision = draft.save_revision(user=cast.writer, log_action=True)
        approve_and_publish(
            revision=revision, reviewer_user=draft.medical_reviewer.user, publisher=cast.editor
        )


def articles_build(*, count, seed=0, jobs=1, out=sys.stderr):
    """Make sure articles 0 … count-1 are live; returns how many this call published."""
    cast = cast_ensure()
    live = set(ArticlePage.objects.live().values_list("slug", flat=True))
    missing = [
        number
        for number in range(count)
        if content.article_text(number, seed=seed).slug not in live
    ]
    if missing:
        jobs = max(1, min(jobs, len(missing) // 50 or 1))
        if connection.vendor != "postgresql":
            jobs = 1
        print(
            f"Data: publishing {len(missing):,} of {count:,} articles through the gate "
            f"({count - len(missing):,} already live; {jobs} process(es)).",
            file=out,
        )
        progress = Progress(total=len(missing), out=out)
        statistics = PlannerStatistics(live=count - len(missing))
        if jobs == 1:
            _build_here(missing, seed=seed, progress=progress, statistics=statistics)
        else:
            _build_in_processes(
                missing, seed=seed, jobs=jobs, progress=progress, statistics=statistics
            )
        progress.close()
        statistics.refresh()  # the server is measured on what the planner knows
    else:
        print(f"Data: all {count:,} articles are live already.", file=out)
    _read_more_first(cast=cast, seed=seed)
    unindexed = _unindexed_live_articles()
    if unindexed:
        articles_index(unindexed)
    return len(missing)


def _build_here(numbers, *, seed, progress, statistics):
    def published():
        progress.step()
        statistics.update(progress.done)

    worker_run(numbers, seed=seed, on_published=published, wait_for_links=False)


def _build_in_processes(numbers, *, seed, jobs, progress, statistics):
    context = multiprocessing.get_context("spawn")
    done = context.Value("q", 0)
    processes = [
        context.Process(target=build_process.run, args=(numbers[k::jobs], seed, done), daemon=True)
        for k in range(jobs)
    ]
    connection.close()  # the children open their own
    for process in processes:
        process.start()
    try:
        while any(process.is_alive() for process in processes):
            failed = [p for p in processes if p.exitcode not in (None, 0)]
            if failed:
                raise RuntimeError(f"A build process failed (exit code {failed[0].exitcode}).")
            progress.update(done.value)
            statistics.update(done.value)
            time.sleep(0.5)
        failed = [p for p in processes if p.exitcode != 0]
        if failed:
            raise RuntimeError(f"A build process failed (exit code {failed[0].exitcode}).")
        progress.update(done.value)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()


class PlannerStatistics:
    """Refreshes PostgreSQL's planner statistics each time the build doubles the library.

    Autovacuum analyzes a table only once a share of it has changed. Until then
    the planner believes the article index has a few children and answers
    Wagtail's slug check (one per publish) by walking all of them: each publish
    gets slower as the library grows (12 articles a second at 40,000 on the
    2-core machine, 18 once analyzed).
    """

    def __init__(self, *, live):
        self.live = live
        self.next_at = max(1_000, 2 * live)

    def update(self, published):
        """`published` articles have gone live since the build started."""
        total = self.live + published
        if total >= self.next_at:
            self.refresh()
            self.next_at = 2 * total

    def refresh(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


class Progress:
    """A one-line progress bar on a terminal; a line every 10% elsewhere."""

    WIDTH = 30

    def __init__(self, *, total, out):
        self.total = total
        self.done = 0
        self.out = out
        self.started = time.monotonic()
        self.tty = out.isatty()
        self.last_tenth = -1

    def step(self):
        self.update(self.done + 1)

    def update(self, done):
        if done == self.done:
            return
        self.done = done
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        filled = int(self.WIDTH * self.done / self.total)
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done:,}/{self.total:,} "
            f"articles  {rate:.1f}/s  eta {eta:.0f}s"
        )
        if self.tty:
            print(f"\r{line}", end="", file=self.out, flush=True)
        elif self.done * 10 // self.total != self.last_tenth:
            self.last_tenth = self.done * 10 // self.total
            print(line, file=self.out, flush=True)

    def close(self):
        if self.tty:
            print(file=self.out)
        elapsed = time.monotonic() - self.started
        print(f"Data: published {self.done:,} articles in {elapsed:.0f}s.", file=self.out)
