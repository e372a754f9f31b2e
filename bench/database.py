"""The benchmark's own databases: created when missing, never the project's."""

import shutil
import subprocess
import time
from pathlib import Path

import dj_database_url

WORK = Path(__file__).resolve().parent / ".work"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/{name}"
SCALE_NAMES = {1_000: "1k", 100_000: "100k"}


def default_name(articles):
    return f"vetted_bench_{SCALE_NAMES.get(articles, articles)}"


def default_url(*, articles, sqlite):
    if sqlite:
        return f"sqlite:///{WORK / (default_name(articles) + '.sqlite3')}"
    return POSTGRES_DEFAULT.format(name=default_name(articles))


def vendor(url):
    engine = dj_database_url.parse(url)["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite" in engine:
        return "sqlite"
    raise SystemExit(f"The benchmark runs on PostgreSQL or SQLite, not {engine}.")


def database_ensure(url, *, recreate):
    """Create the database `url` names when it is missing (or anew with `recreate`)."""
    if vendor(url) == "sqlite":
        path = Path(dj_database_url.parse(url)["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        if recreate:
            path.unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.startswith("vetted_bench"):
        raise SystemExit(
            f"Refusing to use database {name!r}: the benchmark only builds, and may drop, "
            "databases named vetted_bench…"
        )
    _postgres_server_ensure(config)
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _postgres_server_ensure(config):
    """Start the local cluster (as .ci/run does) when nothing answers on a loopback host."""
    host, port = config["HOST"] or "127.0.0.1", str(config["PORT"] or 5432)
    if not shutil.which("pg_isready"):
        return
    ready = ["pg_isready", "-q", "-h", host, "-p", port]
    if subprocess.run(ready, check=False).returncode == 0:
        return
    clusters = Path("/etc/postgresql")
    if host not in ("127.0.0.1", "localhost") or not shutil.which("pg_ctlcluster"):
        return
    if not clusters.is_dir():
        return
    version = sorted(clusters.iterdir())[-1].name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
    )
    for _ in range(30):
        if subprocess.run(ready, check=False).returncode == 0:
            return
        time.sleep(1)
