"""Production profile: with REDIS_URL, two server processes share one sign-in limit and one cache. Nothing that
matters lives in a worker's memory."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from council.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


# Servers a test started and has not stopped yet. Each is the leader of its own process group (so a gunicorn master
# goes with its workers) and is stopped by the fixture that started it, even when the test fails or is interrupted
# (KeyboardInterrupt runs fixture teardown); at the latest when this process exits (atexit); and, should this
# process die without either (SIGKILL, a crashed xdist worker), the kernel sends it SIGTERM (PR_SET_PDEATHSIG).
_running: set[subprocess.Popen] = set()


def _die_with_parent(parent: int):
    def preexec() -> None:
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def _start(args: list, **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=_die_with_parent(os.getpid()), **kwargs)
    _running.add(process)
    return process


def _stop(*processes: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """The signal to each whole group at once (gunicorn's master takes its worker down), then SIGKILL to any not gone
    in 30 s. Gunicorn is stopped with SIGINT, its quick shutdown: with SIGTERM each sync worker finishes its second
    of waiting for a request first, 1.5 s a server."""
    try:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    finally:
        _running.difference_update(processes)


@atexit.register
def _stop_all() -> None:
    _stop(*_running)


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        message = "Debian's redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("COUNCIL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = _port()
    process = _start([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@pytest.fixture
def two_servers(database_url, demo, redis_url):
    """Two production servers (gunicorn, one worker each) on the test's database and one Redis."""
    db.session.commit()
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "shared-secret"}
    env.pop("COUNCIL_BENCH", None)
    ports = [_port(), _port()]
    processes = []
    try:
        for port in ports:
            processes.append(_start([Path(sys.executable).parent / "gunicorn", "--workers", "1", "--bind",
                                     f"127.0.0.1:{port}", "--log-level", "warning", "council:create_app()"],
                                    env=env, cwd=ROOT))
        for port in ports:
            _wait(f"http://127.0.0.1:{port}/healthz")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        _stop(*processes, sig=signal.SIGINT)


def _post(opener, url: str, data: dict) -> int:
    try:
        with opener.open(url, data=urllib.parse.urlencode(data).encode(), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_count_one_sign_in_limit(two_servers):
    jar = http.cookiejar.CookieJar()  # one browser: the cookie is for 127.0.0.1, whichever port answers
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(two_servers[0] + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    guesses = [_post(opener, two_servers[n % 2] + "/login",
                     {"username": "teacher", "password": f"guess-{n}", "csrf_token": token}) for n in range(8)]
    # 5 a minute per account (SIGN_IN_ACCOUNT_LIMIT): alternating servers, the sixth guess is already refused.
    # Each server counting alone would have let all eight through (four each).
    assert guesses == [400] * 5 + [429] * 3


def test_two_workers_read_one_cache(two_servers):
    from council.proposals.models import Proposal, ProposalState

    def public_ideas(base: str) -> str:
        with urllib.request.urlopen(base + "/stats", timeout=30) as response:
            html = response.read().decode()
        return re.findall(r"<dd>(\d+)</dd>", html[html.index('id="headline"'):])[1]  # raised, then public

    first = public_ideas(two_servers[0])  # counted by the first server, kept in Redis
    idea = db.session.scalar(select(Proposal).where(Proposal.state == ProposalState.published))
    idea.state = ProposalState.withdrawn
    db.session.commit()
    assert public_ideas(two_servers[1]) == first  # the second server reads the first one's copy
    # the district's council and every council below it: the same ideas, but a page the cache has not kept yet
    # (a parameter the page ignores, such as an empty ?council=, is served the kept copy)
    from council.councils.models import Council, Tier

    district = db.session.scalar(select(Council.id).where(Council.tier == Tier.district))
    uncached = urllib.request.urlopen(two_servers[1] + f"/stats?council={district}", timeout=30).read().decode()
    assert re.findall(r"<dd>(\d+)</dd>", uncached[uncached.index('id="headline"'):])[1] == str(int(first) - 1)
