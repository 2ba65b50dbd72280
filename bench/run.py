"""`make bench`: the platform's read pages under load, each against a reference measured in the same run.

1. Builds a scale-100 district once (``flask seed --demo --scale 100``, about 100,000 ideas) into
   ``instance/bench/scale-<N>.sqlite`` (or uses ``BENCH_DATABASE_URL``, e.g. PostgreSQL) and keeps it.
2. Starts the production server, gunicorn with one worker per core, in bench mode (``COUNCIL_BENCH=1``), which
   adds two reference routes (``/bench/hello`` and ``/bench/fortunes``, see council/demo/bench.py) and an
   ``X-SQL-Queries`` header to every answer.
3. For each repetition and each page: loads the fortunes reference, then the page, with wrk (8 connections),
   waiting for the server to drain between runs. A run with any non-2xx answer or socket error is invalid.
4. Prints per page: requests/s, p50, p99, the ratio to the reference of the same repetition (each the median over
   the repetitions, so one hiccup of the machine in one run does not decide a figure), the worst p99 of any
   repetition beside it, the SQL queries per request, and the final line
   ``bench: worst ratio R on PAGE; worst p99 P ms on PAGE`` (the pages' median figures).

Environment: BENCH_SCALE (100), BENCH_SECONDS (5 per run), BENCH_REPETITIONS (3), BENCH_CONNECTIONS (8),
BENCH_WORKERS (cores), BENCH_DATABASE_URL, BENCH_PAGES (comma-separated names, to run a few)."""

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


def _analyse(url: str) -> None:
    """The planner's statistics, as a production database has them after its first hours."""
    subprocess.run([sys.executable, "-c", "import sqlalchemy,sys; e=sqlalchemy.create_engine(sys.argv[1], "
                    "isolation_level='AUTOCOMMIT'); c=e.connect(); c.exec_driver_sql('ANALYZE'); c.close()", url],
                   check=True)


def build_dataset(url: str) -> None:
    """Build the district once; a kept one is brought to the current schema (new indexes) and analysed again if
    that changed anything."""
    marker = ROOT / "instance" / "bench" / f"built-{SCALE}-{hashlib.sha1(url.encode()).hexdigest()[:10]}"
    if marker.exists():
        before = _flask(url, "db", "current")
        _flask(url, "db", "upgrade")
        if _flask(url, "db", "current") != before:
            print(f"the kept scale-{SCALE} district was upgraded to the current schema", flush=True)
            _analyse(url)
        return
    print(f"building the scale-{SCALE} district (once) …", flush=True)
    started = time.monotonic()
    _flask(url, "db", "upgrade")
    _flask(url, "seed", "--demo", "--scale", str(SCALE), quiet=False)
    _analyse(url)
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    marker.write_text(url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": url, "COUNCIL_BENCH": "1", "SECRET_KEY": "bench-secret"}
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--access-logfile", "-",
         "--log-level", "warning", "council:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode() if server.stderr else ""))


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


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    url = database_url()
    build_dataset(url)
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        chosen = pages(base)
        for name, (path, cookie) in chosen.items():
            status, _count = queries(base, path, cookie)
            if status != 200:
                raise SystemExit(f"{name} {path} answered {status}")
        print("warming up (a short run per page, not counted) …", flush=True)
        for path, cookie in chosen.values():  # every worker compiles its templates and fills its caches
            wrk(base, path, cookie, seconds=1)
        # Statements per request in the steady state (caches warm), as every measured request runs them.
        counts = {name: queries(base, path, cookie)[1] for name, (path, cookie) in chosen.items()}
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
                run["invalid"] += reference["invalid"]
                results[name].append(run)
                results[REFERENCE].append(reference | {"ratio": 1.0})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print()
    print(f"scale {SCALE}, {WORKERS} gunicorn workers, {CONNECTIONS} connections, {SECONDS} s per run, "
          f"{REPETITIONS} repetitions; medians over the repetitions; ratio = page req/s ÷ {REFERENCE} req/s of the "
          f"same repetition; p99 max = the worst repetition's")
    print(f"{'page':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'SQL':>6}{'p99 max':>9}  valid")
    worst_ratio, worst_p99, invalid_runs = (9.9, ""), (0.0, ""), 0
    for name, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        ratio = statistics.median(r["ratio"] for r in runs)
        invalid = sum(1 for r in runs if r["invalid"])
        invalid_runs += invalid
        print(f"{name:<16}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{ratio:>8.2f}{counts[name]:>6}"
              f"{max(r['p99'] for r in runs):>9.1f}  "
              f"{'yes' if not invalid else f'NO ({invalid} runs)'}")
        if name not in ("hello", REFERENCE):
            worst_ratio = min(worst_ratio, (ratio, name))
            worst_p99 = max(worst_p99, (p99, name))
    print(f"bench: worst ratio {worst_ratio[0]:.2f} on {worst_ratio[1]}; worst p99 {worst_p99[0]:.0f} ms on "
          f"{worst_p99[1]}")
    if invalid_runs:
        print(f"bench: {invalid_runs} invalid runs (non-2xx answers or socket errors)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
