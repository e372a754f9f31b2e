"""`python -m bench`: build the articles, serve them, load every endpoint, report.

Run through `make bench` (1,000 articles on PostgreSQL) or
`make bench ARGS="--articles 100000"`; `python -m bench --help` lists the options.
"""

import argparse
import functools
import json
import os
import random
import socket
import sys
import time
from pathlib import Path

from . import database, load, report
from .server import Gunicorn, TaskWorker

WORK = database.WORK
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Vetted's delivery API against Wagtail's API v2 and a bare ceiling view, "
        "served by gunicorn on 127.0.0.1. See bench/README.md.",
    )
    data = parser.add_argument_group("data")
    data.add_argument(
        "--articles", type=int, default=1_000, help="how many articles (default 1000)"
    )
    data.add_argument(
        "--database-url",
        help="where to build and serve them (default: PostgreSQL "
        "postgres://postgres@127.0.0.1:5432/vetted_bench_1k, …_100k for 100000, "
        "…_<N> otherwise); the database name must start with vetted_bench",
    )
    data.add_argument(
        "--sqlite",
        action="store_true",
        help="quick mode: a SQLite file under bench/.work/ instead of PostgreSQL",
    )
    data.add_argument(
        "--rebuild", action="store_true", help="drop the benchmark database and build it anew"
    )
    data.add_argument(
        "--build-only", action="store_true", help="build (or complete) the data, then stop"
    )
    data.add_argument("--seed", type=int, default=0, help="seed of the generated text")
    data.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that build articles on PostgreSQL (default: one per core)",
    )

    serving = parser.add_argument_group("server")
    serving.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="gunicorn sync workers (default: one per core)",
    )
    serving.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "auto"),
        help="cache: a Redis URL, 'none' for the local-memory cache, or 'auto' "
        f"(default unless REDIS_URL is set): {DEFAULT_REDIS} when Redis answers there",
    )

    loading = parser.add_argument_group("load (the same for every endpoint)")
    loading.add_argument(
        "--connections", type=int, default=4, help="concurrent clients (default 4)"
    )
    loading.add_argument(
        "--duration", type=float, default=10.0, help="seconds measured per endpoint (default 10)"
    )
    loading.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds first (default 2)"
    )
    loading.add_argument(
        "--max-requests",
        type=int,
        default=100_000,
        help="request budget per endpoint run (default 100000)",
    )
    loading.add_argument(
        "--loadgen",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk when installed (auto), or the Python fallback",
    )
    loading.add_argument(
        "--sample",
        type=int,
        default=200,
        help="distinct articles the detail requests rotate over (default 200)",
    )
    loading.add_argument(
        "--approval-trials",
        type=int,
        default=3,
        help="edits taken through review for approval-to-served (default 3)",
    )
    return parser.parse_args(argv)


def _redis_answers(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def environment_set(options):
    """Point this process (and so the server it starts) at the benchmark's settings."""
    url = options.database_url or database.default_url(
        articles=options.articles, sqlite=options.sqlite
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = url
    redis_url = options.redis_url
    if redis_url == "auto":
        redis_url = DEFAULT_REDIS if _redis_answers(DEFAULT_REDIS) else "none"
    if redis_url == "none":
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("VETTED_API_THROTTLE_RATE", "1000000/s")
    return url, (None if redis_url == "none" else redis_url)


def say(message):
    print(message, file=sys.stderr, flush=True)


def targets_paths(*, samples, topics, words, by_frequency, deep_after):
    """{kind: {served by: [paths]}}: the same articles, topics and words for every server.

    `by_frequency` (`measure.search_words`) and `deep_after` (the `after` position 80 %
    into the list) are measured on ours only: what stays flat as the articles grow.
    """
    from .v2 import DETAIL_FIELDS, LIST_FIELDS

    article_type = "type=content_models.ArticlePage"
    list_v2 = f"/api/v2/pages/?{article_type}&fields={','.join(LIST_FIELDS)}&limit=20"
    return {
        "detail": {
            "ours": [f"/api/v1/articles/{slug}/" for _pk, slug in samples],
            "v2": [f"/api/v2/pages/{pk}/?fields={','.join(DETAIL_FIELDS)}" for pk, _ in samples],
            "ceiling": [f"/bench/ceiling/articles/{slug}/" for _pk, slug in samples],
        },
        "list": {
            "ours": ["/api/v1/articles/?page_size=20"],
            "v2": [f"{list_v2}&order=-first_published_at"],
        },
        "topic": {
            "ours": [f"/api/v1/articles/?topic={slug}&page_size=20" for _pk, slug in topics],
            "v2": [f"{list_v2}&topics={pk}&order=-first_published_at" for pk, _slug in topics],
        },
        "search": {
            "ours": [f"/api/v1/articles/?search={word}&page_size=20" for word in words],
            "v2": [f"{list_v2}&search={word}" for word in words],
        },
        "list_deep": {"ours": [f"/api/v1/articles/?page_size=20&after={deep_after}"]},
        **{
            f"search_{frequency}": {"ours": [f"/api/v1/articles/?search={word}&page_size=20"]}
            for frequency, word in by_frequency.items()
        },
    }


def _matches(body):
    """How many results a list response says it has (ours: count; v2: meta.total_count)."""
    data = json.loads(body)
    return data["count"] if "count" in data else data["meta"]["total_count"]


def main(argv=None):
    options = arguments(argv)
    started = time.monotonic()
    url, redis_url = environment_set(options)
    vendor = database.vendor(url)
    say(f"Database: {url} ({vendor}); cache: {redis_url or 'local memory (per worker)'}")
    database.database_ensure(url, recreate=options.rebuild)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import override_settings
    from django.utils.text import slugify

    from content_models.models import ArticlePage, Topic

    from . import build, content, measure

    say("Migrating…")
    call_command("migrate", interactive=False, verbosity=0)
    build.articles_build(count=options.articles, seed=options.seed, jobs=options.jobs)
    if options.build_only:
        return 0

    # What the requests rotate over, the same for every server.
    rng = random.Random(f"sample:{options.seed}")
    slugs = [content.article_text(n, seed=options.seed).slug for n in range(options.articles)]
    live = dict(ArticlePage.objects.live().values_list("slug", "pk"))
    ordered = [(live[slug], slug) for slug in slugs if slug in live]
    samples = rng.sample(ordered, min(options.sample, len(ordered)))
    topic_slugs = [slugify(name) for name in content.TOPICS]
    topics = list(Topic.objects.filter(slug__in=topic_slugs).values_list("pk", "slug"))
    topics = rng.sample(topics, min(5, len(topics)))
    by_frequency = measure.search_words()
    paths = targets_paths(
        samples=samples,
        topics=topics,
        words=content.SEARCH_WORDS,
        by_frequency=by_frequency,
        deep_after=measure.position_at(fraction=0.8),
    )

    WORK.mkdir(exist_ok=True)
    tag = f"{vendor}-{options.articles}"
    for kind, served_by in paths.items():
        for target, target_paths in served_by.items():
            (WORK / f"paths-{tag}-{kind}-{target}.txt").write_text("\n".join(target_paths) + "\n")

    if redis_url:
        cache.delete_pattern("*")  # this database's keys only (the settings' prefix)
    else:
        cache.clear()

    say("Counting SQL queries per request (in-process, test Client)…")
    queries = {
        kind: {
            target: measure.queries_per_request(target_paths[:3])
            for target, target_paths in served_by.items()
            if target != "ceiling"
        }
        for kind, served_by in paths.items()
    }
    with override_settings(VETTED={**settings.VETTED, "API_RESPONSE_CACHE": False}):
        for kind, served_by in paths.items():
            queries[kind]["ours-nocache"] = measure.queries_per_request(served_by["ours"][:3])
    say("Counting SQL queries of one gated publish…")
    publish_queries = measure.queries_per_publish(seed=options.seed)
    bodies = measure.response_bodies(paths["detail"]["ours"])
    ceiling_file = WORK / f"ceiling-{tag}.json"
    ceiling_file.write_text(
        json.dumps({path.split("/")[-2]: body for path, body in bodies.items()})
    )
    os.environ["BENCH_CEILING_FILE"] = str(ceiling_file)
    database_version = f"{connection.vendor} {connection.Database.__name__} " + (
        connection.cursor().connection.info.parameter_status("server_version")
        if vendor == "postgresql"
        else connection.Database.sqlite_version
    )
    connections.close_all()

    generator = load.generator_choose(options.loadgen)
    generator_version = load.wrk_version() if generator == "wrk" else "python (bench/load.py)"
    if generator == "python":
        say("wrk is not installed: using the Python load generator, which may be the bottleneck.")
    server = Gunicorn(
        env=dict(os.environ), workers=options.workers, log_path=WORK / f"gunicorn-{tag}.log"
    )
    say(f"Serving on {server.base_url} with {options.workers} sync gunicorn worker(s)…")
    server.start()
    try:
        busy = load.cpu_busy_fraction(own_pids=[server.process.pid, *server.worker_pids()])
        if busy > 0.2:
            say(
                f"  warning: {busy:.0%} of the CPU is busy before any load: other processes "
                "share this machine, so these figures understate what it can do."
            )
        endpoints = _load_all(
            server=server, paths=paths, queries=queries, options=options, generator=generator
        )
        rss = server.worker_rss_mb()
        say("Approval to served: editing live articles through the Medical review workflow…")
        writer, editor = _bench_editors()
        trials = [
            measure.approval_to_served(
                base_url=server.base_url, slug=slug, writer=writer, editor=editor
            )
            for _pk, slug in samples[-options.approval_trials :]
        ]
        say("Saving the author shown on the most articles, with the task worker running…")
        with TaskWorker(env=dict(os.environ), log_path=WORK / f"worker-{tag}.log"):
            shared = measure.shared_save(base_url=server.base_url)
    finally:
        server.stop()

    # The same requests with the whole-response cache off: what the documents
    # themselves cost when a response is not cached (after a publish, say).
    uncached = Gunicorn(
        env={**os.environ, "VETTED_API_RESPONSE_CACHE": "false"},
        workers=options.workers,
        log_path=WORK / f"gunicorn-{tag}.log",
    )
    say(f"Ours again, response cache off (VETTED_API_RESPONSE_CACHE=false), {uncached.base_url}…")
    uncached.start()
    try:
        # Each worker's size once a whole load of every endpoint has warmed it (unmeasured),
        # then after a second one (common words included): what a stream of uncached
        # searches leaves behind, not what a fresh process grows by while warming up.
        load_ours = functools.partial(
            _load_all,
            server=uncached,
            paths=paths,
            queries=queries,
            options=options,
            generator=generator,
            only={"ours"},
            label="ours-nocache",
        )
        say("  (a first, unmeasured pass warms the workers)")
        load_ours(quiet=True)
        rss_warm = uncached.worker_rss_mb()
        second = load_ours()
        rss_loaded = uncached.worker_rss_mb()
    finally:
        uncached.stop()
    for kind, figures in second.items():
        endpoints[kind].update(figures)

    summary = report.ratios(endpoints)
    summary["queries_per_publish"] = publish_queries
    summary["worker_memory_growth_mib"] = report.memory_growth(rss_warm, rss_loaded)
    summary["shared_save_s"] = shared["save_s"]
    summary["search_p99_ms_nocache"] = report.search_p99(endpoints)
    summary["approval_to_served_s"] = max(trial["seconds"] for trial in trials)
    result = {
        **summary,
        "p99_growth_1k_to_100k": None,
        "p99_growth_1k_to_100k_nocache": None,
        "date": report.now_iso(),
        "settings": _settings_record(
            options, url=url, redis_url=redis_url, generator=generator, busy=busy
        ),
        "machine": report.machine(
            database_version=database_version, generator_version=generator_version
        ),
        "endpoints": endpoints,
        "worker_rss_mb": {str(pid): size for pid, size in rss.items()},
        "worker_rss_mb_nocache": {
            "warm": {str(pid): size for pid, size in rss_warm.items()},
            "loaded": {str(pid): size for pid, size in rss_loaded.items()},
        },
        "search_words": by_frequency,
        "shared_save": shared,
        "approval_to_served": {"trials": trials},
    }
    # This scale's file first, so the growth below can include the run just made.
    report.write(result, database_vendor=vendor, articles=options.articles)
    growth, growth_detail = report.p99_growth()
    nocache, nocache_detail = report.p99_growth(served_by="ours-nocache")
    result["p99_growth_1k_to_100k"] = growth
    result["p99_growth_1k_to_100k_nocache"] = nocache
    result["p99_growth_detail"] = {**growth_detail, "nocache": nocache_detail}
    result["search_p99_ms_100k_nocache"] = report.search_p99_at_scale(result)
    result["targets"] = report.judged(result)
    scale_path, latest_path = report.write(
        result, database_vendor=vendor, articles=options.articles
    )
    print()
    print(
        f"Vetted delivery API benchmark: {options.articles:,} articles on {vendor}, "
        f"{options.connections} connections, {options.duration:g}s per endpoint, {generator}"
    )
    print()
    print(report.table(result))
    print()
    print(
        f"Written: {latest_path.relative_to(Path.cwd())} and {scale_path.relative_to(Path.cwd())}"
    )
    say(f"Whole run: {time.monotonic() - started:.0f}s")
    return 0


def _load_all(*, server, paths, queries, options, generator, only=None, label=None, quiet=False):
    """Warm up, then measure, each endpoint of each server in turn.

    `only` names the servers to measure (default: all); `label` renames them in
    the results (the second pass measures "ours" again as "ours-nocache"); `quiet`
    says nothing of each endpoint.
    """
    from . import measure

    tag = f"{database.vendor(os.environ['DATABASE_URL'])}-{options.articles}"
    endpoints = {}
    for kind, served_by in paths.items():
        endpoints[kind] = {}
        for target, target_paths in served_by.items():
            if only is not None and target not in only:
                continue
            status, body = measure.http_get(server.base_url, target_paths[0])
            if status != 200:
                raise RuntimeError(f"GET {target_paths[0]} answered {status}: {body[:300]!r}")
            paths_file = WORK / f"paths-{tag}-{kind}-{target}.txt"
            common = {
                "generator": generator,
                "base_url": server.base_url,
                "paths": paths_file,
                "connections": options.connections,
            }
            if options.warmup > 0:
                load.run(**common, duration=options.warmup, budget=options.max_requests)
            name = label or target
            if not quiet:
                say(f"  {kind:<7} {name:<12} …")
            figures = load.run(**common, duration=options.duration, budget=options.max_requests)
            if name in queries.get(kind, {}):
                figures["queries"] = queries[kind][name]
            if kind != "detail":
                figures["results"] = _matches(body)
            figures["path_example"] = target_paths[0]
            figures["distinct_paths"] = len(target_paths)
            endpoints[kind][name] = figures
    if only is None or "ceiling" in only:
        _ceiling_check(server=server, paths=paths)
    return endpoints


def _ceiling_check(*, server, paths):
    """The ceiling must serve byte for byte what our detail serves."""
    from . import measure

    ours = measure.http_get(server.base_url, paths["detail"]["ours"][0])[1]
    ceiling = measure.http_get(server.base_url, paths["detail"]["ceiling"][0])[1]
    if ours != ceiling:
        say("  warning: the ceiling's bytes differ from our served detail (the API changed?)")


def _bench_editors():
    from django.contrib.auth import get_user_model

    from .build import EDITOR, WRITER

    User = get_user_model()
    return User.objects.get(username=WRITER), User.objects.get(username=EDITOR)


def _settings_record(options, *, url, redis_url, generator, busy):
    return {
        "articles": options.articles,
        "database_url": url,
        "cache": redis_url or "locmem",
        "workers": options.workers,
        "worker_class": "sync",
        "connections": options.connections,
        "duration_s": options.duration,
        "warmup_s": options.warmup,
        "max_requests": options.max_requests,
        "load_generator": generator,
        "detail_sample": options.sample,
        "throttle_rate": os.environ.get("VETTED_API_THROTTLE_RATE"),
        "cpu_busy_before_load": round(busy, 3),
        "commit": report.git_commit(),
    }


if __name__ == "__main__":
    sys.exit(main())
