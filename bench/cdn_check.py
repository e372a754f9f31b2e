"""`python -m bench.cdn_check` (`make cdn-check`): a takedown through a real HTTP cache.

Varnish from Debian's packages (with the xkey module of varnish-modules) runs on
loopback with the VCL kept in ``bench/varnish/``, in front of the project
served by gunicorn with production settings and the background task worker, on
a fresh PostgreSQL database seeded with the demo. Readers poll three addresses
of a live article through Varnish every 20 ms (the API detail, the API list and
the frontend page) while:

1. an editor takes the article down through the admin's own unpublish view:
   seconds from the POST's response until none of the three shows it;
2. another article's edit goes through the real review workflow: seconds from
   the clinician's approval until all three show the new text;
3. revalidations with the old ``If-Modified-Since`` and ``If-None-Match`` after
   each change must never get a 304;
4. a third article is approved while Varnish refuses every purge (a VCL that
   answers PURGE with 503, switched in with ``varnishadm``: the cache keeps its
   objects, as when a CDN's purge API is down); once purges are accepted again
   the retried purges must arrive, so the new text shows everywhere.

Prints the figures, writes ``bench/results/cdn-check.json`` and exits non-zero
when a target is missed. Everything it starts is stopped on exit, on failure
and on Ctrl-C. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from . import database, report
from .server import PROJECT, Gunicorn, free_port

WORK = database.WORK / "cdn-check"
VCL_DIR = Path(__file__).resolve().parent / "varnish"
RESULT = report.RESULTS / "cdn-check.json"
DEFAULT_DATABASE = database.POSTGRES_DEFAULT.format(name="vetted_bench_cdn_check")
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
PACKAGES = ("varnish", "varnish-modules")

TAKEDOWN_TARGET_S = 1.0
EDIT_TARGET_S = 1.0

API_ACCEPT = "application/json"
PAGE_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.cdn_check",
        description="Take a demo article down, and approve edits, behind Varnish; "
        "measure how soon readers see it. See bench/README.md.",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help=f"PostgreSQL database, dropped and created anew (default {DEFAULT_DATABASE}); "
        "its name must start with vetted_bench",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help=f"Redis database of the check's own, flushed at the start (default {DEFAULT_REDIS}); "
        "'none' for the per-process local-memory cache",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-interval",
        type=float,
        default=0.1,
        help="seconds the task worker waits between looks at an empty queue "
        "(db_worker --interval; default 0.1)",
    )
    parser.add_argument(
        "--poll", type=float, default=0.02, help="seconds between a reader's requests (0.02)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        help="seconds to wait for a change to reach readers before calling it missed (15)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=2.0,
        help="seconds readers keep polling once they all see a change, to catch a stale "
        "copy cached again (2)",
    )
    parser.add_argument(
        "--outage",
        type=float,
        default=3.0,
        help="seconds Varnish refuses purges after the third approval (3)",
    )
    parser.add_argument(
        "--retry-bound",
        type=float,
        default=30.0,
        help="seconds after purges are accepted again within which the retried purges must "
        "have reached readers (30; less than the responses' max-age, so expiry cannot "
        "pass for delivery)",
    )
    return parser.parse_args(argv)


def say(message):
    print(message, file=sys.stderr, flush=True)


# --- Varnish -------------------------------------------------------------------------


def vcl_compiles(vcl_dir, vcl="vetted.vcl"):
    """(True, "") when varnishd is installed and compiles the VCL (xkey import included)."""
    if not shutil.which("varnishd"):
        return False, "varnishd is not installed"
    probe = Path(f"/tmp/vetted-cdn-check-vcc-{os.getpid()}")
    try:
        compiled = subprocess.run(
            [
                "varnishd",
                "-C",
                "-n",
                str(probe),
                "-p",
                f"vcl_path={vcl_dir}",
                "-f",
                str(Path(vcl_dir) / vcl),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if compiled.returncode == 0:
        return True, ""
    errors = [line for line in compiled.stderr.splitlines() if not line.startswith(("/*", " *"))]
    return False, "\n".join(errors[-15:])


def varnish_ensure():
    """Install Debian's varnish and varnish-modules when the VCL cannot be compiled.

    Only as root with apt-get; otherwise stop and say what to run.
    """
    ok, why = vcl_compiles(VCL_DIR)
    if ok:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"Installing {' and '.join(PACKAGES)} with apt-get ({why.splitlines()[0]})…")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *PACKAGES],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        ok, why = vcl_compiles(VCL_DIR)
        if ok:
            return
        raise SystemExit(
            f"Varnish is installed but bench/varnish/vetted.vcl does not compile:\n{why}"
        )
    raise SystemExit(
        "The check needs Varnish with the xkey module "
        f"({why.splitlines()[0] if why else 'not found'}). Install them with:\n"
        "    sudo apt-get install -y varnish varnish-modules\n"
        "then run `make cdn-check` again."
    )


class Background:
    """A process started by the check and ended by its own id (SIGTERM, then SIGKILL)."""

    def __init__(self, name, command, *, env=None, log_path=None, cwd=PROJECT):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.cwd = cwd
        self.process = None

    def start(self):
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            if self.log_path:
                log.close()
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, *, timeout=15):
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Varnish:
    """varnishd on 127.0.0.1 with its own -n working directory, in the foreground (-F)."""

    def __init__(self, *, backend_port, log_dir):
        self.port = free_port()
        self.name = Path(f"/tmp/vetted-cdn-check-{uuid.uuid4().hex[:8]}")
        self.vcl_dir = self.name / "vcl"
        self.log_dir = log_dir
        self.backend_port = backend_port
        self.daemon = None
        self.purge_log = log_dir / "purges.log"
        self.ncsa = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.vcl_dir.mkdir(parents=True)
        # The repository's VCL with its backend pointed at the gunicorn the check serves.
        for source in VCL_DIR.glob("*.vcl"):
            text = source.read_text()
            if source.name == "vetted.vcl":
                text, count = re.subn(
                    r'(\.port\s*=\s*)"\d+"', rf'\g<1>"{self.backend_port}"', text, count=1
                )
                if count != 1:
                    raise RuntimeError("bench/varnish/vetted.vcl has no backend .port to point")
            (self.vcl_dir / source.name).write_text(text)
        self.name.chmod(0o755)
        command = [
            "varnishd",
            "-F",
            "-n",
            str(self.name),
            "-a",
            f"127.0.0.1:{self.port}",
            "-T",
            "127.0.0.1:0",
            "-p",
            f"vcl_path={self.vcl_dir}",
            "-f",
            str(self.vcl_dir / "vetted.vcl"),
            "-s",
            "malloc,256m",
        ]
        self.daemon = Background(
            "varnishd", command, log_path=self.log_dir / "varnishd.log", cwd=self.name
        ).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if not self.daemon.alive():
                raise RuntimeError(
                    f"varnishd exited at start; see {self.log_dir / 'varnishd.log'}"
                )
            try:
                request(self.port, "GET", "/__varnish_ready__", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("varnishd did not answer within 30 s")
        self.purge_log.unlink(missing_ok=True)
        self.ncsa = Background(
            "varnishncsa",
            [
                "varnishncsa",
                "-n",
                str(self.name),
                "-q",
                'ReqMethod eq "PURGE"',
                "-F",
                "%{VSL:Timestamp:Resp[1]}x %s %{Host}i %U %{xkey-purge}i",
                "-w",
                str(self.purge_log),
            ],
            log_path=self.log_dir / "varnishncsa.log",
        ).start()
        time.sleep(0.5)  # varnishncsa attaches to the shared memory log
        return self

    def adm(self, *args):
        answer = subprocess.run(
            ["varnishadm", "-n", str(self.name), *args], capture_output=True, text=True
        )
        if answer.returncode != 0:
            raise RuntimeError(f"varnishadm {' '.join(args)}: {answer.stdout}{answer.stderr}")
        return answer.stdout

    def purges_refuse(self):
        """Answer every PURGE with 503 from now on, keeping every cached object."""
        if "refuse" not in self.adm("vcl.list"):
            self.adm("vcl.load", "refuse", str(self.vcl_dir / "refuse-purges.vcl"))
        self.adm("vcl.use", "refuse")

    def purges_accept(self):
        self.adm("vcl.use", "boot")

    def purges(self):
        """[{at, status, host, path, tags}] of every PURGE Varnish answered so far."""
        try:
            lines = self.purge_log.read_text().splitlines()
        except OSError:
            return []
        entries = []
        for line in lines:
            parts = line.split(" ", 4)
            if len(parts) < 5:
                continue
            at, status, host, path, tags = parts
            entries.append(
                {
                    "at": float(at),
                    "status": int(status),
                    "host": host,
                    "path": path,
                    "tags": [] if tags == "-" else tags.split(),
                }
            )
        return entries

    def version(self):
        answer = subprocess.run(["varnishd", "-V"], capture_output=True, text=True, check=False)
        return (answer.stderr or answer.stdout).splitlines()[0] if answer.returncode == 0 else None

    def stop(self):
        for process in (self.ncsa, self.daemon):
            if process is not None:
                process.stop()
        shutil.rmtree(self.name, ignore_errors=True)


# --- HTTP ----------------------------------------------------------------------------


class Response:
    def __init__(self, *, status, headers, body, sent_at, received_at):
        self.status = status
        self.headers = headers  # {lower-case name: [values]}
        self.body = body
        self.sent_at = sent_at
        self.received_at = received_at

    def header(self, name, default=None):
        values = self.headers.get(name.lower())
        return ", ".join(values) if values else default

    def json(self):
        return json.loads(self.body)

    @property
    def hit(self):
        """Served from Varnish's cache: X-Varnish names this request and the one that stored it."""
        return len((self.header("x-varnish") or "").split()) == 2

    def cache_headers(self):
        names = (
            "cache-control",
            "date",
            "age",
            "x-varnish",
            "x-cache",
            "etag",
            "last-modified",
            "vary",
            "xkey",
            "surrogate-key",
            "cache-tag",
            "set-cookie",
        )
        return {name: self.header(name) for name in names if self.header(name) is not None}


def request(port, method, path, *, headers=None, body=None, timeout=10):
    """One request on a new connection to 127.0.0.1:`port` (each reader is a new client)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent_at = time.time()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        data = answer.read()
        received_at = time.time()
        found = {}
        for name, value in answer.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return Response(
            status=answer.status,
            headers=found,
            body=data,
            sent_at=sent_at,
            received_at=received_at,
        )
    finally:
        connection.close()


class Editor:
    """The admin, used as an editor would with a browser: session and CSRF cookies by hand.

    Production marks both cookies Secure; the check speaks plain HTTP on loopback,
    so it keeps them itself rather than through a cookie jar that would drop them.
    """

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _send(self, method, path, *, form=None):
        headers = {"Accept": PAGE_ACCEPT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(self.port, method, path, headers=headers, body=body, timeout=30)
        for cookie in answer.headers.get("set-cookie", []):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    @staticmethod
    def _csrf_token(page):
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if not found:
            raise RuntimeError(f"No CSRF token in the admin page (status {page.status})")
        return found.group(1).decode()

    def login(self, *, username, password):
        form = self._send("GET", "/admin/login/")
        answer = self._send(
            "POST",
            "/admin/login/",
            form={
                "csrfmiddlewaretoken": self._csrf_token(form),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        if answer.status != 302:
            raise RuntimeError(f"Admin login as {username!r} answered {answer.status}")

    def unpublish(self, page_id, *, reason, before_post=None):
        """GET then POST the admin's unpublish view; returns (POST response, form facts)."""
        path = f"/admin/pages/{page_id}/unpublish/"
        form = self._send("GET", path)
        if form.status != 200:
            raise RuntimeError(
                f"GET {path} as the editor answered {form.status}: {form.body[:300]!r}"
            )
        facts = {"reason_field": b'name="reason"' in form.body}
        if before_post:
            before_post()
        answer = self._send(
            "POST", path, form={"csrfmiddlewaretoken": self._csrf_token(form), "reason": reason}
        )
        facts["post_status"] = answer.status
        facts["post_location"] = answer.header("location")
        return answer, facts


# --- Readers -------------------------------------------------------------------------


class Reader(threading.Thread):
    """Polls one address through Varnish every `interval` s, judging each answer with `judge`.

    `judge(response)` says True (the state waited for), False (not yet) or None
    (neither: an error or an unexpected status, counted and shown in the report).
    """

    def __init__(self, *, label, port, path, accept, judge, interval):
        super().__init__(name=f"reader-{label}", daemon=True)
        self.label = label
        self.port = port
        self.path = path
        self.accept = accept
        self.judge = judge
        self.interval = interval
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                answer = request(self.port, "GET", self.path, headers={"Accept": self.accept})
                verdict = self.judge(answer)
                self.samples.append(
                    (
                        answer.sent_at,
                        answer.received_at,
                        answer.status,
                        verdict,
                        answer.header("x-varnish"),
                        answer.header("age"),
                    )
                )
            except OSError as error:
                now = time.time()
                self.samples.append((now, now, f"error: {error}", None, None, None))
            self.stopping.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def reached_since(self, moment):
        """Whether the last answer received after `moment` is the state waited for."""
        after = [sample for sample in self.samples if sample[1] >= moment]
        return bool(after) and after[-1][3] is True

    def figures(self, moment):
        """How soon after `moment` this reader saw the state for good, and what it saw."""
        after = [sample for sample in self.samples if sample[1] >= moment]
        seconds = None
        reached = False
        went_back = 0
        for _sent_at, received_at, _status, verdict, _xv, _age in after:
            if verdict is True and not reached:
                reached = True
                seconds = received_at - moment
            elif verdict is False and reached:
                went_back += 1  # a stale copy served again after the change had shown
                reached = False
        if not reached:
            seconds = None
        statuses = {}
        for sample in after:
            statuses[str(sample[2])] = statuses.get(str(sample[2]), 0) + 1
        last_old = max((s for s in after if s[3] is False), key=lambda s: s[1], default=None)
        return {
            "path": self.path,
            "seconds": None if seconds is None else round(seconds, 3),
            "went_back": went_back,
            "polls": len(after),
            "statuses": statuses,
            "undecided": sum(1 for s in after if s[3] is None),
            "last_old": None
            if last_old is None
            else {
                "after_s": round(last_old[1] - moment, 3),
                "status": last_old[2],
                "x_varnish": last_old[4],
                "age": last_old[5],
            },
        }


def readers_watch(readers, *, moment_of, timeout, settle):
    """Start `readers`, call `moment_of()` (the change; returns its time), poll until all see it.

    Readers start before the change, as real readers would be arriving in the
    gap between commit and purge. Returns ({label: figures}, moment).
    """
    for reader in readers:
        reader.start()
    try:
        time.sleep(0.2)
        moment = moment_of()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(reader.reached_since(moment) for reader in readers):
                break
            time.sleep(0.01)
        time.sleep(settle)
    finally:
        for reader in readers:
            reader.stopping.set()
        for reader in readers:
            reader.join(timeout=15)
    return {reader.label: reader.figures(moment) for reader in readers}, moment


def _three_paths(slug):
    return {
        "api_detail": (f"/api/v1/articles/{slug}/", API_ACCEPT),
        "api_list": ("/api/v1/articles/", API_ACCEPT),
        "frontend_page": (f"/articles/{slug}/", PAGE_ACCEPT),
    }


def _listed_slugs(response):
    try:
        return {item.get("slug") for item in response.json().get("results", [])}
    except (ValueError, AttributeError):
        return None


def takedown_judge(label, *, slug, title):
    """True once the answer no longer shows the article `slug` (gone), False while it does."""

    def judge(answer):
        if label == "api_list":
            if answer.status != 200:
                return None
            slugs = _listed_slugs(answer)
            return None if slugs is None else slug not in slugs
        if answer.status in (404, 410):
            return True
        if answer.status == 200:
            return False if title.encode() in answer.body or slug.encode() in answer.body else None
        return None

    return judge


def marker_judge(marker):
    """True once a 200 carries `marker` (the approved edit), False while it shows the old text."""

    def judge(answer):
        if answer.status != 200:
            return None
        return marker.encode() in answer.body

    return judge


def readers_for(slug, judges, *, port, interval):
    return [
        Reader(
            label=label,
            port=port,
            path=path,
            accept=accept,
            judge=judges[label],
            interval=interval,
        )
        for label, (path, accept) in _three_paths(slug).items()
    ]


def warm(slug, *, port):
    """GET each of the three addresses twice through Varnish; the second must be a hit."""
    warmed = {}
    for label, (path, accept) in _three_paths(slug).items():
        first = request(port, "GET", path, headers={"Accept": accept})
        second = request(port, "GET", path, headers={"Accept": accept})
        warmed[label] = {
            "path": path,
            "status": second.status,
            "hit": second.hit,
            "headers": second.cache_headers(),
            "first_headers": first.cache_headers(),
        }
    return warmed


def revalidations(slug, warmed, *, port):
    """Conditional GETs through Varnish with the validators readers had before the change.

    Any 304 is stale: the representation changed. Also asks with the current
    validators, to show that Varnish does answer 304 when nothing changed (so
    the absence of a stale 304 means something).
    """
    checks = []
    for label, (path, accept) in _three_paths(slug).items():
        old = warmed[label]["headers"]
        # Without Last-Modified, the old response's Date: what a client that
        # remembers when it fetched would send, and a 304 to it would be as stale.
        for header, validator in (
            ("If-Modified-Since", old.get("last-modified") or old.get("date")),
            ("If-None-Match", old.get("etag")),
        ):
            if validator is None:
                checks.append(
                    {
                        "url": label,
                        "header": header,
                        "sent": None,
                        "status": None,
                        "stale_304": False,
                        "note": "no validator in the old response",
                    }
                )
                continue
            answer = request(port, "GET", path, headers={"Accept": accept, header: validator})
            checks.append(
                {
                    "url": label,
                    "header": header,
                    "sent": validator,
                    "status": answer.status,
                    "stale_304": answer.status == 304,
                    "now": {k: answer.header(k) for k in ("etag", "last-modified", "x-varnish")},
                }
            )
        current = request(port, "GET", path, headers={"Accept": accept})
        if current.status == 200 and current.header("etag"):
            again = request(
                port,
                "GET",
                path,
                headers={"Accept": accept, "If-None-Match": current.header("etag")},
            )
            checks.append(
                {
                    "url": label,
                    "header": "If-None-Match (current)",
                    "sent": current.header("etag"),
                    "status": again.status,
                    "stale_304": False,
                    "note": "control: unchanged, 304 expected",
                }
            )
    return checks


# --- The check -----------------------------------------------------------------------


class Check:
    """Owns every process it starts; `close()` ends them (called on any exit)."""

    def __init__(self, options):
        self.options = options
        self.processes = []
        self.varnish = None
        self.gunicorn = None
        self.password = secrets.token_urlsafe(18)
        WORK.mkdir(parents=True, exist_ok=True)

    # -- setup

    def environment(self, *, public_base_url):
        redis_url = None if self.options.redis_url == "none" else self.options.redis_url
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DATABASE_URL": self.options.database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DJANGO_MEDIA_ROOT": str(WORK / "media"),
            "VETTED_VARNISH_URL": public_base_url,
            "VETTED_FRONTEND_CACHE_URL": public_base_url,
            "VETTED_PUBLIC_BASE_URL": public_base_url,
            "WAGTAILADMIN_BASE_URL": public_base_url,
            "VETTED_DEMO_PASSWORD": self.password,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        return env

    def manage(self, env, *args, log_name):
        with open(WORK / log_name, "ab") as log:
            done = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=PROJECT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed; see {WORK / log_name}")

    def start(self):
        options = self.options
        varnish_ensure()
        if options.redis_url != "none":
            _redis_flush(options.redis_url)
        say(f"Database: {options.database_url} (created anew)")
        database.database_ensure(options.database_url, recreate=True)

        app_port = free_port()
        self.varnish = Varnish(backend_port=app_port, log_dir=WORK)
        env = self.environment(public_base_url=self.varnish.base_url)
        self.env = env
        for stale in WORK.glob("*.log"):
            stale.unlink()
        say("Migrating, seeding the demo (manage.py seed_demo), collecting static files…")
        self.manage(env, "migrate", "--noinput", log_name="setup.log")
        # seed_demo refuses production settings (no demo accounts there): the same
        # database and environment under the development settings.
        self.manage(
            {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
            "seed_demo",
            log_name="setup.log",
        )
        self.manage(env, "collectstatic", "--noinput", "-v", "0", log_name="setup.log")

        say(
            f"Varnish on {self.varnish.base_url} (bench/varnish/vetted.vcl), "
            f"gunicorn on 127.0.0.1:{app_port} ({options.workers} workers)…"
        )
        self.varnish.start()
        self.gunicorn = Gunicorn(
            env=env, workers=options.workers, log_path=WORK / "gunicorn.log", port=app_port
        )
        self.gunicorn.start()
        # Tasks the seeding queued (purges of an empty cache) run before the check.
        self.manage(env, "db_worker", "--batch", "--no-startup-delay", log_name="worker.log")
        worker = Background(
            "db_worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--interval",
                str(options.worker_interval),
            ],
            env=env,
            log_path=WORK / "worker.log",
        ).start()
        self.processes.append(worker)
        time.sleep(1.0)
        if not worker.alive():
            raise RuntimeError(f"db_worker exited at start; see {WORK / 'worker.log'}")

    def close(self):
        for process in reversed(self.processes):
            process.stop()
        if self.gunicorn is not None:
            self.gunicorn.stop()
        if self.varnish is not None:
            self.varnish.stop()

    def processes_alive(self):
        dead = [p.name for p in self.processes if not p.alive()]
        if self.gunicorn and self.gunicorn.process.poll() is not None:
            dead.append("gunicorn")
        if self.varnish and not self.varnish.daemon.alive():
            dead.append("varnishd")
        return dead

    # -- phases

    def live_articles(self):
        """[(id, slug, title)] of live demo articles, asked of the app directly."""
        answer = request(
            self.gunicorn.port,
            "GET",
            "/api/v1/articles/?page_size=100",
            headers={"Accept": API_ACCEPT},
        )
        if answer.status != 200:
            raise RuntimeError(f"GET /api/v1/articles/ answered {answer.status}")
        return [(item["id"], item["slug"], item["title"]) for item in answer.json()["results"]]

    def takedown(self, article):
        page_id, slug, title = article
        port = self.varnish.port
        warmed = warm(slug, port=port)
        editor = Editor(self.gunicorn.port)
        editor.login(username="editor", password=self.password)
        judges = {
            label: takedown_judge(label, slug=slug, title=title) for label in _three_paths(slug)
        }
        readers = readers_for(slug, judges, port=port, interval=self.options.poll)
        facts = {}

        def post():
            answer, found = editor.unpublish(
                page_id, reason="Safety recall drill (make cdn-check)"
            )
            facts.update(found)
            return answer.received_at

        # The form is fetched inside the watch (just before the POST): readers
        # start first, so they are arriving while the takedown commits.
        figures, moment = readers_watch(
            readers, moment_of=post, timeout=self.options.timeout, settle=self.options.settle
        )
        time.sleep(0.2)
        checks = revalidations(slug, warmed, port=port)
        return {
            "slug": slug,
            "page_id": page_id,
            **facts,
            "posted_at": moment,
            "warm": warmed,
            "urls": figures,
            "revalidation": checks,
            "purges": _purges_since(self.varnish.purges(), moment),
        }

    def approve(self, article, *, refuse_for=None):
        """Edit `article` through the workflow; readers wait for the new text.

        With `refuse_for` seconds, Varnish refuses purges from just before the
        approval until that long after it.
        """
        _page_id, slug, _title = article
        port = self.varnish.port
        marker = f"cdncheck{uuid.uuid4().hex[:10]}"
        warmed = warm(slug, port=port)
        with open(WORK / "review.log", "ab") as review_log:
            review = subprocess.Popen(
                [sys.executable, "-m", "bench.cdn_review", "--slug", slug, "--marker", marker],
                cwd=PROJECT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=review_log,
                text=True,
            )
        try:
            ready = _json_line(review, "ready")
            readers = readers_for(
                slug,
                {label: marker_judge(marker) for label in _three_paths(slug)},
                port=port,
                interval=self.options.poll,
            )
            outage = {}

            def approval():
                if refuse_for is not None:
                    self.varnish.purges_refuse()
                    outage["refused_from"] = time.time()
                review.stdin.write("approve\n")
                review.stdin.flush()
                done = _json_line(review, "approved_at")
                outage["called_at"] = done["called_at"]
                if refuse_for is not None:
                    time.sleep(max(0.0, done["approved_at"] + refuse_for - time.time()))
                    # What readers get at the end of the outage: still the old text.
                    outage["during"] = {
                        label: request(port, "GET", path, headers={"Accept": accept})
                        for label, (path, accept) in _three_paths(slug).items()
                    }
                    self.varnish.purges_accept()
                    outage["accepted_at"] = time.time()
                    outage["approved_at"] = done["approved_at"]
                    return outage["accepted_at"]
                return done["approved_at"]

            timeout = self.options.retry_bound if refuse_for is not None else self.options.timeout
            figures, moment = readers_watch(
                readers, moment_of=approval, timeout=timeout, settle=self.options.settle
            )
            review.wait(timeout=30)
        finally:
            if review.poll() is None:
                review.kill()
                review.wait()
        time.sleep(0.2)
        result = {
            "slug": slug,
            "marker": marker,
            "clinician": ready.get("clinician"),
            "approval_call_s": round(moment - outage["called_at"], 3)
            if refuse_for is None
            else None,
            "warm": warmed,
            "urls": figures,
            "revalidation": revalidations(slug, warmed, port=port),
        }
        if refuse_for is None:
            result["approved_at"] = moment
            result["purges"] = _purges_since(self.varnish.purges(), moment)
            return result
        during = outage.pop("during")
        result.update(
            {
                "refused_from": outage["refused_from"],
                "approved_at": outage["approved_at"],
                "accepted_at": outage["accepted_at"],
                "during_outage": {
                    label: {
                        "status": answer.status,
                        "new_text": marker.encode() in answer.body,
                        **answer.cache_headers(),
                    }
                    for label, answer in during.items()
                },
                "purges": _purges_since(self.varnish.purges(), outage["accepted_at"]),
            }
        )
        return result


def _json_line(process, key, *, timeout=120):
    """The next JSON line from `process` holding `key` (other output is ignored)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench.cdn_review exited early; see {WORK / 'review.log'}")
        if line.startswith("{"):
            message = json.loads(line)
            if key in message:
                return message
    raise RuntimeError(f"bench.cdn_review did not answer within {timeout}s")


def _purges_since(purges, moment, *, before=5.0):
    """The PURGEs Varnish answered from `before` s ahead of `moment`; `at` relative to it."""
    return [
        {**entry, "at": round(entry["at"] - moment, 3)}
        for entry in purges
        if entry["at"] >= moment - before
    ]


def _redis_flush(url):
    """Empty the check's own Redis database (stale responses of an earlier run's ids)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        raise SystemExit(
            f"Redis at {url} did not answer ({error}); start it or pass --redis-url none."
        ) from error


def lost_purges(outage):
    """Refused tag purges whose tags no purge accepted afterwards (from Varnish's own log)."""
    purges = outage["purges"]  # `at` relative to the moment purges were accepted again
    refused = [p for p in purges if p["status"] == 503 and p["tags"]]
    delivered = set()
    for entry in purges:
        if entry["status"] == 200 and entry["at"] >= 0:
            delivered.update(entry["tags"])
    lost = sum(1 for entry in refused if not set(entry["tags"]) <= delivered)
    return lost, len(refused)


def summarize(takedown, edit, outage, *, options):
    def slowest(phase):
        seconds = [figures["seconds"] for figures in phase["urls"].values()]
        return None if None in seconds else max(seconds)

    revalidation = takedown["revalidation"] + edit["revalidation"] + outage["revalidation"]
    stale = any(check["stale_304"] for check in revalidation)
    lost, refused = lost_purges(outage)
    outage_effective = not any(seen["new_text"] for seen in outage["during_outage"].values())
    outage_slowest = slowest(outage)
    lost_total = lost + (
        0
        if outage_slowest is not None
        else sum(1 for figures in outage["urls"].values() if figures["seconds"] is None)
    )
    went_back = {
        f"{phase_name}.{label}": figures["went_back"]
        for phase_name, phase in (("takedown", takedown), ("edit", edit), ("outage", outage))
        for label, figures in phase["urls"].items()
        if figures["went_back"]
    }
    warm_misses = [
        f"{phase_name}.{label}"
        for phase_name, phase in (("takedown", takedown), ("edit", edit), ("outage", outage))
        for label, warmed in phase["warm"].items()
        if not warmed["hit"]
    ]
    return {
        "takedown_s": slowest(takedown),
        "edit_visible_s": slowest(edit),
        "stale_304": stale,
        "lost_purges": lost_total,
        "retried_purge_visible_s": outage_slowest,
        "refused_purges": refused,
        "outage_effective": outage_effective,
        "went_back": went_back,
        "warm_misses": warm_misses,
    }


def judged(summary):
    rows = []

    def row(key, value, target, verdict):
        rows.append({"key": key, "value": value, "target": target, "pass": bool(verdict)})

    takedown, edit = summary["takedown_s"], summary["edit_visible_s"]
    row(
        "takedown_s",
        takedown,
        f"< {TAKEDOWN_TARGET_S:g} s on all three",
        takedown is not None and takedown < TAKEDOWN_TARGET_S,
    )
    row(
        "edit_visible_s",
        edit,
        f"< {EDIT_TARGET_S:g} s on all three",
        edit is not None and edit < EDIT_TARGET_S,
    )
    row("stale_304", summary["stale_304"], "false", not summary["stale_304"])
    row(
        "lost_purges",
        summary["lost_purges"],
        "0",
        summary["lost_purges"] == 0
        and summary["outage_effective"]
        and summary["refused_purges"] > 0,
    )
    row(
        "went_back",
        sum(summary["went_back"].values()),
        "0 (no stale copy cached again)",
        not summary["went_back"],
    )
    row(
        "warm_misses",
        len(summary["warm_misses"]),
        "0 (second request a Varnish hit)",
        not summary["warm_misses"],
    )
    return rows


def table(result):
    lines = []
    for phase, title in (
        ("takedown", "Takedown (admin unpublish)"),
        ("edit", "Approved edit (writer, editor, clinician)"),
        ("outage", "Approved while Varnish refused purges"),
    ):
        data = result[phase]
        lines.append(f"{title}: {data['slug']}")
        for label, figures in data["urls"].items():
            seconds = figures["seconds"]
            shown = "never" if seconds is None else f"{seconds:.3f} s"
            extra = f", went back {figures['went_back']}x" if figures["went_back"] else ""
            odd = {k: v for k, v in figures["statuses"].items() if k not in ("200", "404")}
            extra += f", other answers {odd}" if odd else ""
            lines.append(f"  {label:<14} {figures['path']:<52} {shown}{extra}")
    lines.append("")
    for row in result["targets"]:
        verdict = "PASS" if row["pass"] else "FAIL"
        lines.append(f"  {verdict}  {row['key']:<16} {row['value']!s:<10} target {row['target']}")
    return "\n".join(lines)


def main(argv=None):
    options = arguments(argv)
    if not database.dj_database_url.parse(options.database_url)["NAME"].startswith("vetted_bench"):
        raise SystemExit("The check's database name must start with vetted_bench (it is dropped).")
    check = Check(options)

    def interrupted(signum, _frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    started = time.time()
    try:
        check.start()
        articles = check.live_articles()
        if len(articles) < 3:
            raise RuntimeError(f"The demo has {len(articles)} live articles; the check needs 3.")
        say(f"Takedown of {articles[0][1]} through /admin/pages/{articles[0][0]}/unpublish/…")
        takedown = check.takedown(articles[0])
        say(f"Approved edit of {articles[1][1]} through the workflow…")
        edit = check.approve(articles[1])
        say(
            f"Approved edit of {articles[2][1]} while Varnish refuses purges for "
            f"{options.outage:g} s…"
        )
        outage = check.approve(articles[2], refuse_for=options.outage)
        dead = check.processes_alive()
        varnish_version = check.varnish.version()
    finally:
        # A second Ctrl-C must not cut the cleanup short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        say("Stopping Varnish, gunicorn and the task worker…")
        check.close()

    summary = summarize(takedown, edit, outage, options=options)
    result = {
        **{
            key: summary[key]
            for key in ("takedown_s", "edit_visible_s", "stale_304", "lost_purges")
        },
        "summary": summary,
        "date": report.now_iso(),
        "commit": report.git_commit(),
        "settings": {
            "database_url": options.database_url,
            "cache": options.redis_url,
            "gunicorn_workers": options.workers,
            "worker_interval_s": options.worker_interval,
            "poll_s": options.poll,
            "outage_s": options.outage,
            "retry_bound_s": options.retry_bound,
            "varnish": varnish_version,
            "vcl": "bench/varnish/vetted.vcl",
            "settings_module": "cms.settings.production",
        },
        "takedown": takedown,
        "edit": edit,
        "outage": outage,
        "processes_died": dead,
        "elapsed_s": round(time.time() - started, 1),
    }
    result["targets"] = judged(summary)
    report.RESULTS.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(table(result))
    print()
    print(f"Written: {RESULT.relative_to(PROJECT)}")
    return 0 if all(row["pass"] for row in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
