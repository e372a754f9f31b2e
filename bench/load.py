"""The closed-loop load generator: wrk when installed, a Python fallback otherwise.

Closed loop: each of `connections` clients sends its next request when the
previous answer arrives. Every run is bounded twice, by a request budget and
by a duration, and only ever targets the loopback server the driver started.
"""

import http.client
import json
import math
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

LUA_SCRIPT = Path(__file__).with_name("closed_loop.lua")


def loopback_only(base_url):
    host = urlsplit(base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"The benchmark only loads servers on this machine, not {host!r}.")


def generator_choose(preference):
    """'wrk' or 'python': `preference` is 'auto', 'wrk' or 'python'."""
    if preference == "python":
        return "python"
    if shutil.which("wrk"):
        return "wrk"
    if preference == "wrk":
        raise SystemExit("wrk is not installed: `apt-get install wrk`, or pass --loadgen python.")
    return "python"


def cpu_busy_fraction(seconds=1.0, *, own_pids=()):
    """How busy other processes kept the CPUs over `seconds` (0 to 1), from /proc.

    CPU time spent by this process and by `own_pids` (the server's) is left out,
    so a worker still starting does not count. 0 where /proc is unreadable.
    """

    def sample():
        try:
            fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
        except (OSError, ValueError):
            return None
        own = 0
        for pid in ("self", *own_pids):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            # Fields after the command name: utime and stime are the 12th and 13th.
            after_name = stat.rsplit(")", 1)[1].split()
            own += int(after_name[11]) + int(after_name[12])
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle, own

    before = sample()
    time.sleep(seconds)
    after = sample()
    if before is None or after is None or after[0] == before[0]:
        return 0.0
    total, idle, own = (after[i] - before[i] for i in range(3))
    return max(0.0, min(1.0, (total - idle - own) / total))


def wrk_version():
    found = shutil.which("wrk")
    if not found:
        return None
    done = subprocess.run([found, "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0].strip()


def run(*, generator, base_url, paths, connections, duration, budget, threads=1):
    """Drive `paths` (rotating) at `base_url`; returns requests, rps, p50_ms, p99_ms, errors."""
    loopback_only(base_url)
    if generator == "wrk":
        return _run_wrk(
            base_url=base_url,
            paths=paths,
            connections=connections,
            duration=duration,
            budget=budget,
            threads=threads,
        )
    return _run_python(
        base_url=base_url, paths=paths, connections=connections, duration=duration, budget=budget
    )


def _summary(*, requests, elapsed, p50_us, p90_us, p99_us, max_us, errors, generator):
    return {
        "generator": generator,
        "requests": requests,
        "seconds": round(elapsed, 3),
        "rps": round(requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(p50_us / 1000, 2),
        "p90_ms": round(p90_us / 1000, 2),
        "p99_ms": round(p99_us / 1000, 2),
        "max_ms": round(max_us / 1000, 2),
        "errors": errors,
    }


def _run_wrk(*, base_url, paths, connections, duration, budget, threads):
    paths_file = Path(paths)
    threads = max(1, min(threads, connections))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, math.ceil(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA_SCRIPT),
        base_url,
        "--",
        str(paths_file),
        str(math.ceil(budget / threads)),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    report = None
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
    if report is None:
        raise RuntimeError(f"wrk printed no report (exit {done.returncode}): {done.stderr}")
    errors = sum(
        report[name]
        for name in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return _summary(
        requests=report["requests"],
        elapsed=report["duration_us"] / 1e6,
        p50_us=report["p50_us"],
        p90_us=report["p90_us"],
        p99_us=report["p99_us"],
        max_us=report["max_us"],
        errors=errors,
        generator="wrk",
    )


def _run_python(*, base_url, paths, connections, duration, budget):
    parts = urlsplit(base_url)
    lines = [line for line in Path(paths).read_text().splitlines() if line]
    lock = threading.Lock()
    state = {"issued": 0, "errors": 0}
    latencies = [[] for _ in range(connections)]
    deadline = time.monotonic() + duration

    def client(number):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        position = number
        while time.monotonic() < deadline:
            with lock:
                if state["issued"] >= budget:
                    break
                state["issued"] += 1
            path = lines[position % len(lines)]
            position += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                failed = response.status >= 400
            except (OSError, http.client.HTTPException):
                connection.close()
                failed = True
            latencies[number].append(time.perf_counter() - started)
            if failed:
                with lock:
                    state["errors"] += 1
        connection.close()

    clients = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(value for values in latencies for value in values)
    return _summary(
        requests=len(every),
        elapsed=elapsed,
        p50_us=_percentile(every, 50) * 1e6,
        p90_us=_percentile(every, 90) * 1e6,
        p99_us=_percentile(every, 99) * 1e6,
        max_us=(every[-1] if every else 0.0) * 1e6,
        errors=state["errors"],
        generator="python",
    )


def _percentile(ordered, percent):
    if not ordered:
        return 0.0
    rank = max(0, math.ceil(percent / 100 * len(ordered)) - 1)
    return ordered[rank]
