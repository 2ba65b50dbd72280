"""`make bench`: the platform's pages under load, each against a reference measured in the same run.

1. Builds a scale-100 district once, with the commands a user runs and nothing else (``flask db upgrade``, then
   ``flask seed --demo --scale 100``, about 100,000 ideas; the seed brings the planner's statistics up to date
   itself, council/db.py) into ``instance/bench/scale-<N>.sqlite`` (or ``BENCH_DATABASE_URL``, e.g. PostgreSQL),
   and keeps it; a kept one is brought to the current schema with ``flask db upgrade``.
2. Serves it with ``make serve`` (gunicorn, one worker per core), in bench mode (``COUNCIL_BENCH=1``), which adds
   only the reference routes (``/bench/hello``, ``/bench/fortunes``, ``/bench/write``, see council/demo/bench.py)
   and an ``X-SQL-Queries`` header to every answer.
3. Cold: for each page, the server is started afresh and the page's first request is timed (a district has few
   visitors at a time, so most visits meet a worker that has not shown the page for a while); later, warm, the
   first request after the page's kept figures expired (every worker's cache emptied) is timed again.
4. For each repetition and each page: loads the fortunes reference, then the page, with wrk (8 connections),
   waiting for the server to drain between runs. A run with any non-2xx answer or socket error is invalid.
   ``fortunes signed in`` is the reference asked with the unit desk's session: what being signed in costs a page
   before it does anything of its own (shown, not judged against a target).
5. Writes under load (bench/writes.py), each against a reference write of the same run, with the rows counted after.
6. Each worker's resident memory after the run; then a plain fortunes-style Flask app (bench/plain.py) on the same
   database beside the platform's idea list.
7. Prints per page: requests/s, p50, p99, the ratio to the reference of the same repetition, p99 ÷ the
   reference's p99 of the same repetition (each the median over the repetitions, so one hiccup of the machine in
   one run does not decide a figure), the cold and the expired first request, the SQL queries per request, the
   worst p99 of any repetition, and the final lines ``bench: …`` with the worst of each against its target.

Environment: BENCH_SCALE (100), BENCH_SECONDS (5 per run), BENCH_REPETITIONS (3), BENCH_CONNECTIONS (8),
BENCH_WORKERS (cores), BENCH_DATABASE_URL, BENCH_PAGES (comma-separated names, to run a few), BENCH_WRITES (1; 0
skips the writes)."""

from __future__ import annotations

import hashlib
import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
SCALE = int(os.environ.get("BENCH_SCALE", "100"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
REFERENCE = "fortunes"
SIGNED_IN = "fortunes signed in"


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    folder = ROOT / "instance" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'scale-{SCALE}.sqlite'}"


def _flask(url: str, *args: str, quiet: bool = True) -> str:
    return subprocess.run([BIN / "flask", "--app", "council", *args], env=os.environ | {"DATABASE_URL": url},
                          check=True, cwd=ROOT, capture_output=quiet, text=True).stdout or ""


def build_dataset(url: str) -> None:
    """Build the district once, as a user would; a kept one is brought to the current schema by the same upgrade
    a user runs (which brings the planner's statistics up to date when it applied anything)."""
    marker = ROOT / "instance" / "bench" / f"built-{SCALE}-{hashlib.sha1(url.encode()).hexdigest()[:10]}"
    if marker.exists():
        before = _flask(url, "db", "current")
        _flask(url, "db", "upgrade")
        if _flask(url, "db", "current") != before:
            print(f"the kept scale-{SCALE} district was upgraded to the current schema", flush=True)
        return
    print(f"building the scale-{SCALE} district (once) …", flush=True)
    started = time.monotonic()
    _flask(url, "db", "upgrade")
    _flask(url, "seed", "--demo", "--scale", str(SCALE), quiet=False)
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    marker.write_text(url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, what: str) -> None:
    for _ in range(300):
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise SystemExit(f"{what} did not start: " + (server.stderr.read().decode() if server.stderr else ""))


def start_server(url: str, port: int) -> subprocess.Popen:
    """``make serve`` in bench mode: the production server with the configuration a district runs."""
    env = os.environ | {"DATABASE_URL": url, "COUNCIL_BENCH": "1", "SECRET_KEY": "bench-secret"}
    server = subprocess.Popen(["make", "--no-print-directory", "serve", f"PORT={port}", f"WORKERS={WORKERS}"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    _wait_for(f"http://127.0.0.1:{port}/bench/hello", server, "the server")
    return server


def start_plain(url: str, port: int) -> subprocess.Popen:
    """The plain fortunes-style app (bench/plain.py) on the same database, with as many gunicorn workers."""
    server = subprocess.Popen([BIN / "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "bench.plain:app"], env=os.environ | {"DATABASE_URL": url},
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    _wait_for(f"http://127.0.0.1:{port}/", server, "the plain app")
    return server


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    server.wait(timeout=30)


def worker_memory(server: subprocess.Popen) -> list[float]:
    """Resident memory (MB) of each gunicorn worker of the server's process group: the processes whose parent is
    the gunicorn master."""
    group, processes = os.getpgid(server.pid), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if os.getpgid(int(entry.name)) != group or "gunicorn" not in command:
                continue
        except (OSError, ProcessLookupError):
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        processes[int(entry.name)] = (int(fields["PPid"]), int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(rss for ppid, rss in processes.values() if ppid in processes)


def sign_in(base: str, username: str) -> str:
    """A session cookie for a page behind sign-in (the unit desk)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": username, "password": "zhoucun2026"}
    if token:
        data["csrf_token"] = token.group(1)
    opener.open(base + "/login", data=urllib.parse.urlencode(data).encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def first_match(base: str, path: str, pattern: str) -> str:
    with urllib.request.urlopen(base + path) as response:
        found = re.search(pattern, response.read().decode())
    if not found:
        raise SystemExit(f"no {pattern} on {path}")
    return found.group(1)


def pages(base: str) -> dict[str, tuple[str, str | None]]:
    """name → (path, cookie)."""
    idea = first_match(base, "/ideas/?sort=supported", r'href="/ideas/(\d+)"')
    council = first_match(base, "/councils/", r'href="/councils/(\d+)"')
    desk = sign_in(base, "unit_edu")
    # A deep page as a reader reaches it: by "next" from the page before, whose link carries the cursor. About
    # 40 % into the public list at any scale (page 2,000 at scale 100).
    deep = html.unescape(first_match(base, f"/ideas/?page={SCALE * 20}", r'href="(/ideas/\?[^"]*after=[^"]+)"'))
    chosen = {
        "hello": ("/bench/hello", None),
        REFERENCE: ("/bench/fortunes", None),
        SIGNED_IN: ("/bench/fortunes", desk),  # the reference asked by the desk's account: what sign-in itself costs
        "home": ("/", None),
        "list newest": ("/ideas/", None),
        "list supported": ("/ideas/?sort=supported", None),
        "list deep": (deep, None),
        "search rare": ("/ideas/?q=" + urllib.parse.quote("自习"), None),
        "search common": ("/ideas/?q=" + urllib.parse.quote("希望"), None),
        "idea": (f"/ideas/{idea}", None),
        "council": (f"/councils/{council}", None),
        "unit desk": ("/desk", desk),
        "statistics": ("/stats", None),
        "api list": ("/api/v1/proposals", None),
    }
    only = os.environ.get("BENCH_PAGES")
    if only:
        keep = {name.strip() for name in only.split(",")} | {REFERENCE}
        chosen = {k: v for k, v in chosen.items() if k in keep}
    return chosen


def queries(base: str, path: str, cookie: str | None) -> tuple[int, int]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request) as response:
        return response.status, int(response.headers.get("X-SQL-Queries", "-1"))


WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(base: str, path: str, cookie: str | None, seconds: int = SECONDS) -> dict:
    command = ["wrk", "--latency", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {int(p): _ms(v, u) for p, v, u in WRK_LATENCY.findall(output)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    invalid = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"rps": rate, "p50": latency.get(50, 0.0), "p99": latency.get(99, 0.0), "invalid": invalid}


def drain(base: str) -> None:
    """Wait until the server answers the bare route quickly again: nothing left queued from the last run."""
    for _ in range(50):
        started = time.monotonic()
        urllib.request.urlopen(base + "/bench/hello").read()
        if time.monotonic() - started < 0.01:
            return
        time.sleep(0.1)


def first_request(base: str, path: str, cookie: str | None) -> float:
    """Milliseconds until the whole answer to one request has arrived."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def expire_caches() -> None:
    """Every worker empties its cache at its next request (council/demo/bench.py)."""
    (ROOT / "instance" / "bench-forget").touch()
    time.sleep(0.01)  # a new modification time, even on a coarse clock


def cold_times(url: str, port: int, chosen: dict) -> dict[str, float]:
    """Each page's first request in a server started afresh for it."""
    base, cold = f"http://127.0.0.1:{port}", {}
    for name, (path, cookie) in chosen.items():
        server = start_server(url, port)
        try:
            cold[name] = first_request(base, path, cookie)
        finally:
            stop(server)
    return cold


def plain_comparison(url: str, base: str, path: str) -> list[float]:
    """The platform's idea list ÷ the plain fortunes-style app, per repetition, served side by side."""
    port = free_port()
    plain = start_plain(url, port)
    ratios = []
    try:
        wrk(f"http://127.0.0.1:{port}", "/", None, seconds=1)
        for _ in range(REPETITIONS):
            drain(base)
            reference = wrk(f"http://127.0.0.1:{port}", "/", None)
            drain(base)
            page = wrk(base, path, None)
            ratios.append(page["rps"] / reference["rps"] if reference["rps"] else 0.0)
    finally:
        stop(plain)
    return ratios


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    url = database_url()
    build_dataset(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(url, port)
    try:
        chosen = pages(base)
        for name, (path, cookie) in chosen.items():
            status, _count = queries(base, path, cookie)
            if status != 200:
                raise SystemExit(f"{name} {path} answered {status}")
    finally:
        stop(server)
    print("cold first requests (a server started afresh for each page) …", flush=True)
    cold = cold_times(url, port, chosen)
    server = start_server(url, port)
    writes: list[dict] = []
    try:
        print("warming up (a short run per page, not counted) …", flush=True)
        for path, cookie in chosen.values():  # every worker compiles its templates and fills its caches
            wrk(base, path, cookie, seconds=1)
        # Statements per request in the steady state (caches warm), as every measured request runs them.
        counts = {name: queries(base, path, cookie)[1] for name, (path, cookie) in chosen.items()}
        expired = {}
        for name, (path, cookie) in chosen.items():
            expire_caches()
            expired[name] = first_request(base, path, cookie)
        wrk(base, chosen[REFERENCE][0], None, seconds=1)  # the caches filled again before the measured runs
        results: dict[str, list[dict]] = {name: [] for name in chosen}
        for repetition in range(1, REPETITIONS + 1):
            print(f"repetition {repetition}/{REPETITIONS}", flush=True)
            for name, (path, cookie) in chosen.items():
                if name == REFERENCE:
                    continue
                drain(base)
                reference = wrk(base, chosen[REFERENCE][0], None)
                drain(base)
                run = wrk(base, path, cookie)
                run["ratio"] = run["rps"] / reference["rps"] if reference["rps"] else 0.0
                run["p99_ratio"] = run["p99"] / reference["p99"] if reference["p99"] else 0.0
                run["invalid"] += reference["invalid"]
                results[name].append(run)
                results[REFERENCE].append(reference | {"ratio": 1.0, "p99_ratio": 1.0})
        if os.environ.get("BENCH_WRITES", "1") != "0":
            sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts bench/ itself on the path, not the checkout
            from bench import writes as write_paths

            print("writes under load …", flush=True)
            writes = write_paths.measure(base, url, SECONDS, CONNECTIONS)
        memory = worker_memory(server)
        plain = plain_comparison(url, base, chosen["list newest"][0]) if "list newest" in chosen else []
    finally:
        stop(server)

    print()
    print(f"scale {SCALE}, {WORKERS} gunicorn workers (make serve), {CONNECTIONS} connections, {SECONDS} s per run, "
          f"{REPETITIONS} repetitions; medians over the repetitions; ratio = page req/s ÷ {REFERENCE} req/s and "
          f"p99÷ref = page p99 ÷ {REFERENCE} p99, of the same repetition; cold = first request in a server started "
          f"afresh; expired = first request after the worker's cache was emptied; p99 max = the worst repetition's")
    print(f"{'page':<16}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}{'p99÷ref':>8}{'cold ms':>9}"
          f"{'expired':>9}{'SQL':>5}{'p99 max':>9}  valid")
    worst_ratio, worst_p99, worst_p99_ratio, worst_cold, invalid_runs = (9.9, ""), (0.0, ""), (0.0, ""), (0.0, ""), 0
    for name, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        ratio = statistics.median(r["ratio"] for r in runs)
        p99_ratio = statistics.median(r["p99_ratio"] for r in runs)
        invalid = sum(1 for r in runs if r["invalid"])
        invalid_runs += invalid
        print(f"{name:<16}{rps:>8.0f}{p50:>8.1f}{p99:>8.1f}{ratio:>7.2f}{p99_ratio:>8.2f}{cold[name]:>9.0f}"
              f"{expired[name]:>9.0f}{counts[name]:>5}{max(r['p99'] for r in runs):>9.1f}  "
              f"{'yes' if not invalid else f'NO ({invalid} runs)'}")
        if name not in ("hello", REFERENCE, SIGNED_IN):
            worst_ratio = min(worst_ratio, (ratio, name))
            worst_p99 = max(worst_p99, (p99, name))
            worst_p99_ratio = max(worst_p99_ratio, (p99_ratio, name))
        worst_cold = max(worst_cold, (max(cold[name], expired[name]), name))
    counted = True
    if writes:
        print()
        counted = write_paths.print_table(writes)
    print()
    print("worker resident memory after the run: " + ", ".join(f"{mb:.0f} MB" for mb in memory)
          + " (target ≤ 250 MB each)")
    if plain:
        print("idea list ÷ plain fortunes-style Flask app (bench/plain.py), same database, side by side: "
              + ", ".join(f"{r:.2f}" for r in plain) + f"; median {statistics.median(plain):.2f} (target ≥ 0.6)")
    print(f"bench: worst ratio {worst_ratio[0]:.2f} on {worst_ratio[1]} (target ≥ 1.0 SQLite, ≥ 0.8 PostgreSQL); "
          f"worst p99÷ref {worst_p99_ratio[0]:.2f} on {worst_p99_ratio[1]} (target ≤ 2); worst p99 "
          f"{worst_p99[0]:.0f} ms on {worst_p99[1]}; slowest first request {worst_cold[0]:.0f} ms on "
          f"{worst_cold[1]} (target ≤ 300 ms)")
    failed = 0
    if invalid_runs:
        print(f"bench: {invalid_runs} invalid runs (non-2xx answers or socket errors)")
        failed = 1
    if not counted:
        print("bench: the rows written do not match the answers (lost or doubled)")
        failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
