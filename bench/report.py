"""The benchmark's results: ratios, targets, the table, and the JSON files.

`bench/results/<database>-<articles>.json` keeps each scale's latest run (the
PostgreSQL ones are committed); `bench/results/latest.json` is the run just
made, with the 1k → 100k growth computed from the PostgreSQL files when both
exist.
"""

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SMALL, LARGE = 1_000, 100_000

# name, what it compares, how it is judged (value, target) -> pass
TARGETS = [
    ("detail_vs_v2", "detail rps, ours / Wagtail API v2", ">=", 5.0),
    ("detail_vs_ceiling", "detail rps, ours / bare view from memory", ">=", 0.8),
    ("list_vs_v2", "list of 20 rps, ours / v2", ">=", 3.0),
    ("topic_vs_v2", "topic-filtered list rps, ours / v2 (list target)", ">=", 3.0),
    ("search_vs_v2", "search rps, ours / v2", ">=", 3.0),
    ("uncached_detail_vs_ceiling", "detail rps, response cache off / ceiling", ">=", 0.5),
    ("uncached_list_vs_ceiling", "list of 20 rps, response cache off / ceiling", ">=", 0.3),
    ("uncached_topic_vs_ceiling", "topic list rps, response cache off / ceiling", ">=", 0.3),
    (
        "uncached_search_vs_ceiling",
        "search rps (slowest word), response cache off / ceiling",
        ">=",
        0.2,
    ),
    ("max_queries_per_request", "most SQL queries one of our API requests ran", "<=", 3),
    ("queries_per_publish", "SQL queries of one gated revision.publish()", "<=", 60),
    (
        "p99_growth_1k_to_100k",
        "p99 at 100k / p99 at 1k, worst endpoint (PostgreSQL)",
        "<=",
        1.5,
    ),
    (
        "p99_growth_1k_to_100k_nocache",
        "the same growth with the response cache off",
        "<=",
        1.5,
    ),
    ("search_p99_ms_100k_nocache", "uncached search p99 at 100k, worst word (ms)", "<", 30.0),
    (
        "worker_memory_growth_mib",
        "worker growth under uncached load incl. common words",
        "<=",
        10.0,
    ),
    ("shared_save_s", "saving the author on the most articles (s)", "<", 0.5),
    ("approval_to_served_s", "clinician's approval call to the edit served (s)", "<", 0.5),
]
# The endpoints whose p99 must stay flat from 1k to 100k.
GROWTH_KINDS = (
    "detail",
    "list",
    "list_deep",
    "topic",
    "search",
    "search_common",
    "search_tenth",
    "search_none",
)
SEARCH_KINDS = ("search", "search_common", "search_tenth", "search_none")


def ratio(numerator, denominator):
    if not denominator:
        return None
    return round(numerator / denominator, 3)


def ratios(endpoints):
    def rps(kind, target):
        return endpoints.get(kind, {}).get(target, {}).get("rps")

    return {
        "detail_vs_v2": ratio(rps("detail", "ours"), rps("detail", "v2")),
        "detail_vs_ceiling": ratio(rps("detail", "ours"), rps("detail", "ceiling")),
        "list_vs_v2": ratio(rps("list", "ours"), rps("list", "v2")),
        "topic_vs_v2": ratio(rps("topic", "ours"), rps("topic", "v2")),
        "search_vs_v2": ratio(rps("search", "ours"), rps("search", "v2")),
        "uncached_detail_vs_ceiling": ratio(
            rps("detail", "ours-nocache"), rps("detail", "ceiling")
        ),
        "uncached_list_vs_ceiling": ratio(rps("list", "ours-nocache"), rps("detail", "ceiling")),
        "uncached_topic_vs_ceiling": ratio(rps("topic", "ours-nocache"), rps("detail", "ceiling")),
        "uncached_search_vs_ceiling": ratio(
            min(
                (
                    value
                    for kind in SEARCH_KINDS
                    if (value := rps(kind, "ours-nocache")) is not None
                ),
                default=None,
            ),
            rps("detail", "ceiling"),
        ),
        "max_queries_per_request": max(
            figures["queries"]["max"]
            for kind in endpoints
            for target, figures in endpoints[kind].items()
            if target.startswith("ours") and "queries" in figures
        ),
    }


def memory_growth(warm, loaded):
    """The most any worker grew (MiB) from `warm` to `loaded` ({pid: MiB} each)."""
    grown = [loaded[pid] - warm[pid] for pid in loaded if pid in warm]
    return round(max(grown), 1) if grown else None


def search_p99(endpoints, served_by="ours-nocache"):
    """The slowest p99 (ms) of our searches, over every word measured."""
    values = [
        endpoints[kind][served_by]["p99_ms"]
        for kind in SEARCH_KINDS
        if served_by in endpoints.get(kind, {})
    ]
    return max(values) if values else None


def search_p99_at_scale(result, results_dir=RESULTS):
    """`search_p99_ms_nocache` of the 100k run: this run's at 100k, else the 100k file's."""
    if result["settings"]["articles"] == LARGE:
        return result.get("search_p99_ms_nocache")
    large_path = results_dir / f"postgresql-{LARGE}.json"
    if not large_path.exists():
        return None
    return json.loads(large_path.read_text()).get("search_p99_ms_nocache")


def p99_growth(results_dir=RESULTS, *, served_by="ours"):
    """max over GROWTH_KINDS of p99(100k) / p99(1k) on PostgreSQL, with why if unknown."""
    small_path = results_dir / f"postgresql-{SMALL}.json"
    large_path = results_dir / f"postgresql-{LARGE}.json"
    missing = [path.name for path in (small_path, large_path) if not path.exists()]
    if missing:
        return None, {
            "note": "not measured: no PostgreSQL result yet in "
            + " and ".join(f"bench/results/{name}" for name in missing)
            + ' (make bench and make bench ARGS="--articles 100000")'
        }
    small = json.loads(small_path.read_text())
    large = json.loads(large_path.read_text())
    growth = {}
    for kind in GROWTH_KINDS:
        figures = [scale["endpoints"].get(kind, {}).get(served_by) for scale in (large, small)]
        if None in figures:
            continue  # not measured at one of the scales (an older run)
        growth[kind] = ratio(figures[0]["p99_ms"], figures[1]["p99_ms"])
    detail = {
        "by_endpoint": growth,
        "small": {"date": small["date"], "commit": small["settings"].get("commit")},
        "large": {"date": large["date"], "commit": large["settings"].get("commit")},
    }
    if _code(detail["small"]["commit"]) != _code(detail["large"]["commit"]):
        # Growth between two versions of the code measures the change, not the scale.
        detail["note"] = (
            f"not judged: the 1k result is of commit {detail['small']['commit']}, the 100k "
            f"result of {detail['large']['commit']}; run both scales on one commit"
        )
        return None, detail
    known = [value for value in growth.values() if value is not None]
    return (max(known) if known else None), detail


def _code(commit):
    return (commit or "").removesuffix("+dirty")


def judged(summary):
    rows = []
    for name, label, operator, target in TARGETS:
        value = summary.get(name)
        if value is None:
            verdict = None
        elif operator == ">=":
            verdict = value >= target
        elif operator == "<=":
            verdict = value <= target
        else:
            verdict = value < target
        rows.append(
            {
                "name": name,
                "label": label,
                "value": value,
                "target": f"{operator} {target}",
                "pass": verdict,
            }
        )
    return rows


def machine(*, database_version, generator_version):
    import django
    import gunicorn
    import wagtail

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "gunicorn": gunicorn.__version__,
        "database": database_version,
        "load_generator": generator_version,
    }


def git_commit():
    project = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}{'+dirty' if dirty else ''}"


def now_iso():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def write(result, *, database_vendor, articles):
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(result, indent=2, sort_keys=False) + "\n"
    scale = RESULTS / f"{database_vendor}-{articles}.json"
    scale.write_text(text)
    latest = RESULTS / "latest.json"
    latest.write_text(text)
    return scale, latest


def _number(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _ratio_text(value):
    if value is None:
        return "not measured"
    if isinstance(value, int):
        return f"{value:,}"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 3
    return f"{value:,.{digits}f}"


def table(result):
    """The results as text: one row per endpoint and target, then the judged ratios."""
    lines = []
    header = f"{'endpoint':<10} {'served by':<13} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    header += f"{'SQL/req':>8} {'errors':>7}"
    lines += [header, "-" * len(header)]
    for kind, targets in result["endpoints"].items():
        for target, figures in targets.items():
            queries = figures.get("queries", {}).get("max")
            lines.append(
                f"{kind:<10} {target:<13} {_number(figures['rps']):>9} "
                f"{_number(figures['p50_ms'], 2):>8} {_number(figures['p99_ms'], 2):>8} "
                f"{_number(queries):>8} {_number(figures['errors']):>7}"
            )
    rss = result.get("worker_rss_mb", {})
    if rss:
        lines.append("")
        lines.append(
            "gunicorn workers RSS (MiB): " + ", ".join(_number(value) for value in rss.values())
        )
    lines.append("")
    for row in result["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[row["pass"]]
        value = _ratio_text(row["value"])
        lines.append(f"{verdict}  {row['name']:<24} {value:>12}  (target {row['target']})")
        if row["name"] == "p99_growth_1k_to_100k" and row["value"] is None:
            lines.append(f"      {result.get('p99_growth_detail', {}).get('note', '')}")
        if row["name"] == "max_queries_per_request":
            lines.append("      (any of our requests: cold or warm, response cache on or off)")
    return "\n".join(lines)
