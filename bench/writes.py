"""Writes under load: six things people do on the platform, each timed against a reference write measured in the
same run, and afterwards the database must hold exactly what the clients were told (issue 18, item 3).

    .venv/bin/python bench/writes.py                                   # a scale-2 SQLite district (a scratch copy)
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/writes.py   # that database, as it is

``measure(base, database_url, seconds, connections)`` runs against a server already started in bench mode (bench/run.py
``start_server``) and returns one row per path; ``print_table(rows)`` prints them and answers False when a count check
failed or the server answered a 5xx.

The paths, each a signed-in account of the demo/scale district on its own browser, the CSRF token taken from the form
the page shows, the request the form sends:

- ``support``: a child supports a public idea (``POST /ideas/<id>/support``, ``action=add``);
- ``take back``: a child takes a support back (the same form, ``action=remove``);
- ``ballot``: a council member votes for, against or abstains on an idea on the agenda of an open session, all members
  on the same item at the same time, as in the room (``POST /sessions/<s>/items/<i>/ballot``);
- ``idea submit``: the wizard's last step, a child sends a new idea (``POST /ideas/<id>/submit``);
- ``campaign vote``: a child votes for an entry of a campaign in its voting phase
  (``POST /campaigns/entries/<id>/vote``);
- ``task reply``: a unit's staff answer an acknowledged task (``POST /tasks/<id>/reply``, multipart, as the form is);
  every idea went to all the clients' units, which answer in the same order: an idea is answered every few requests,
  and answers to one idea meet (on PostgreSQL two of them used to leave it routed for ever, fixed in ``tasks.reply``).

The reference (``POST /bench/write``, council/demo/bench.py) adds one audit event through the ORM and commits: the
least a write costs through this server, framework, ORM and database. It writes into the event log rather than a table
of its own, which would need a migration for bench code; no figure or state reads that action, and its rows are
counted like every path's. Each path's ratio is its requests/s over the reference's, measured just before it with the
same clients, as bench/run.py does for pages.

How it drives the load: ``connections`` threads, each one client, send one request after the other for ``seconds``
(http.client, a new connection per request as gunicorn's sync workers close each). The redirect a form post answers
with is not followed: its target is a read page, which bench/run.py measures. What the browser would show there (the
flash message) is read from the session cookie the post set, and the client goes on with its cookie from before the
post, as the browser's is once it has shown that message. Three requests per client go first, untimed (every worker
compiles its templates), and are counted in the checks like the rest.

Every request needs an object of its own: an idea the child has not supported yet, a support to take back, an item the
member has not voted on, a complete draft, an entry not yet voted for, an acknowledged task. They are made before the
clock starts with the platform's own operations (council/*/operations.py) in the app context, enough for the rate the
reference reached times the share a path is expected to reach; a client that runs out ends its path's run there (the
table says so and the rate is over the time it ran). A campaign child has 15 votes, within the campaign's limits and
the 20 votes a minute one child may cast, so each campaign client signs in a new child of its own every 15 votes.

The count check, per path, once the run is over: every request a client was told succeeded has its row, exactly once,
and no refused request left one (supports, ballot receipts and ballots, submitted ideas and their one
``proposal_submitted`` event, campaign votes, replied tasks and their one ``task_replied`` event, the reference's
events); stored figures equal the rows behind them (an idea's support count, an entry's votes, a child's votes within
the campaign's limit, an idea answered exactly when all its tasks are, with one ``proposal_answered`` event).

What it leaves behind: each run adds its objects to the database (new ideas, a session, a campaign, tasks, unit staff
accounts ``bench_unit_<unit id>``, audit events, which cannot be deleted). ``__main__`` therefore runs on a scratch copy
of the kept SQLite district; a PostgreSQL database, or a caller's, keeps them.

Environment of ``__main__``: BENCH_SCALE (2), WRITES_SECONDS (5), WRITES_CONNECTIONS (8), WRITES_PATHS (comma-separated
names, to run a few), BENCH_DATABASE_URL, BENCH_WORKERS (as bench/run.py)."""

from __future__ import annotations

import base64
import http.client
import http.cookies
import json
import math
import os
import random
import re
import secrets
import signal
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REFERENCE = "reference write"
PASSWORD = "zhoucun2026"  # the demo's and the scale district's (council/demo/district.py DEMO_PASSWORD)
WARM_UP = 3  # untimed requests per client before each timed run
HEADROOM = 1.5  # objects prepared beyond the expected rate
CAMPAIGN_VOTES = 15  # per child: under the campaign's 50 and the 20 a minute CAMPAIGN_VOTE_LIMIT allows
ITEMS_PER_SESSION = 8  # agenda items of one session, all open for voting
FORM = "application/x-www-form-urlencoded"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SUMMARY = "我们已经收到你们的建议，派人去现场看过了，下个月就会安排修好，谢谢小朋友们的关心！"


# --- a browser -----------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    location: str = ""
    text: str = ""
    flashes: list[tuple[str, str]] = field(default_factory=list)
    queries: int = -1

    @property
    def told_success(self) -> bool:
        """A form post that redirected with a success message: what the person reads as "done"."""
        return self.status == 302 and any(category == "success" for category, _message in self.flashes)


def _flashes(value: str | None) -> list[tuple[str, str]]:
    """The messages in a Flask session cookie (``payload.timestamp.signature``, the payload compressed when it starts
    with a dot)."""
    if not value:
        return []
    value = value.strip('"')
    compressed = value.startswith(".")
    payload = (value[1:] if compressed else value).split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        data = json.loads(zlib.decompress(raw) if compressed else raw)
    except (ValueError, zlib.error):
        return []
    found = []
    for item in data.get("_flashes", []):
        pair = item.get(" t", item) if isinstance(item, dict) else item
        found.append((str(pair[0]), str(pair[1])))
    return found


class Browser:
    """One person's browser: its own cookies, one connection per request."""

    def __init__(self, base: str, username: str, account_id: int):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.username, self.account_id = username, account_id
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.fields: dict[str, str] = {}  # the hidden fields of the form opened last

    def send(self, method: str, path: str, body: bytes | None = None, content_type: str = FORM, *,
             keep_cookies: bool = True) -> Answer:
        headers = {"Accept": ACCEPT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        new, gone = {}, set()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    gone.add(name)
                else:
                    new[name] = morsel.value
        if keep_cookies:
            self.cookies.update(new)
            for name in gone:
                self.cookies.pop(name, None)
        location = urllib.parse.urlsplit(response.headers.get("Location", ""))
        return Answer(response.status, location.path + (f"?{location.query}" if location.query else "")
                      + (f"#{location.fragment}" if location.fragment else ""), data.decode(errors="replace"),
                      _flashes(new.get("session")), int(response.headers.get("X-SQL-Queries", "-1")))

    def post(self, path: str, body: bytes, content_type: str = FORM) -> Answer:
        """A measured form post: the cookie it sets only carries the message the redirect's page would show."""
        return self.send("POST", path, body, content_type, keep_cookies=False)

    def sign_in(self) -> None:
        page = self.send("GET", "/login")
        token = form_of(page.text, "/login", "/login")["csrf_token"]
        answer = self.send("POST", "/login", urllib.parse.urlencode(
            {"username": self.username, "password": PASSWORD, "csrf_token": token}).encode())
        if answer.status != 302:
            raise SystemExit(f"writes: {self.username} could not sign in ({answer.status})")

    def open_form(self, page: str, action: str) -> dict[str, str]:
        """Open the page as the person would and take the form that posts to ``action``: its hidden fields."""
        answer = self.send("GET", page)
        if answer.status != 200:
            raise SystemExit(f"writes: {page} answered {answer.status} to {self.username}")
        self.fields = form_of(answer.text, action, page, self.username)
        self.token = self.fields["csrf_token"]
        return self.fields


def form_of(text: str, action: str, page: str, who: str = "a visitor") -> dict[str, str]:
    for attributes, inner in re.findall(r"<form\b([^>]*)>(.*?)</form>", text, re.S):
        if f'action="{action}"' in attributes:
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner))
            hidden |= dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="hidden" value="([^"]*)"', inner))
            if "csrf_token" not in hidden:
                raise SystemExit(f"writes: the form to {action} on {page} has no CSRF token")
            hidden["enctype"] = "multipart" if "multipart/form-data" in attributes else "urlencoded"
            return hidden
    raise SystemExit(f"writes: {page} shows {who} no form to {action}")


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """What a browser sends for a form with ``enctype="multipart/form-data"`` (an empty file input included)."""
    boundary = "----writes" + secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
              for name, filename, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def sign_in_all(browsers: list[Browser]) -> None:
    """In parallel, a few at a time: each sign-in hashes a password on the server."""
    errors: list[BaseException] = []

    def one(chunk: list[Browser]) -> None:
        try:
            for browser in chunk:
                browser.sign_in()
        except BaseException as error:  # noqa: BLE001  (reported below, in the main thread)
            errors.append(error)

    threads = [threading.Thread(target=one, args=(browsers[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- driving the load ----------------------------------------------------------------------------------------------

@dataclass
class Call:
    browser: Browser
    path: str
    body: bytes
    key: object  # what the request is about, for the count check
    content_type: str = FORM


@dataclass
class Outcome:
    key: object
    ok: bool
    status: int


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    ran_out: bool = False

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def drive(queues: list[Iterator[Call]], seconds: float, ok: Callable[[Call, Answer], bool]) -> Run:
    """WARM_UP untimed requests per client, then one request after the other for ``seconds``. A client whose queue
    runs out stops every client: the rate is over the time all of them were sending."""
    run, lock = Run(), threading.Lock()

    def send(call: Call) -> Answer:
        try:
            return call.browser.post(call.path, call.body, call.content_type)
        except (OSError, http.client.HTTPException):  # no answer: counted with the 5xx
            return Answer(0)

    def warm(queue: Iterator[Call]) -> None:
        for _ in range(WARM_UP):
            call = next(queue, None)
            if call is None:
                return
            answer = send(call)
            with lock:
                run.outcomes.append(Outcome(call.key, ok(call, answer), answer.status))

    threads = [threading.Thread(target=warm, args=(queue,)) for queue in queues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop = threading.Event()
    started = time.perf_counter()
    deadline = started + seconds
    last = [started]

    def timed(queue: Iterator[Call]) -> None:
        while not stop.is_set() and time.perf_counter() < deadline:
            call = next(queue, None)
            if call is None:
                run.ran_out = True
                stop.set()
                return
            before = time.perf_counter()
            answer = send(call)
            after = time.perf_counter()
            with lock:
                run.outcomes.append(Outcome(call.key, ok(call, answer), answer.status))
                run.latencies.append(after - before)
                run.queries.append(answer.queries)
                last[0] = max(last[0], after)

    threads = [threading.Thread(target=timed, args=(queue,)) for queue in queues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = last[0] - started
    return run


# --- the paths -----------------------------------------------------------------------------------------------------

class Accounts:
    """The district's children who may act without a guardian's answer (14 and over, whatever their birthday), in a
    random order: each path takes its own."""

    def __init__(self, rng: random.Random):
        from flask import current_app
        from sqlalchemy import select

        from council.accounts.models import Account, AccountKind, ChildProfile
        from council.calendar import clock
        from council.councils.models import Council
        from council.extensions import db

        oldest_needing_consent = clock.today().year - current_app.config["CONSENT_AGE"] - 1
        self.rows = list(db.session.execute(
            select(Account.id, Account.username, Council.path)
            .join(ChildProfile, ChildProfile.account_id == Account.id)
            .join(Council, Council.id == ChildProfile.home_council_id)
            .where(Account.kind == AccountKind.child, Account.active.is_(True), Account.username.like("s%-%"),
                   ChildProfile.birth_year <= oldest_needing_consent).order_by(Account.id)).all())
        rng.shuffle(self.rows)

    def take(self, n: int, area: str = "/"):
        from council.accounts.models import Account
        from council.extensions import db

        chosen = [row for row in self.rows if row.path.startswith(area)][:n]
        if len(chosen) < n:
            raise SystemExit(f"writes: the district has {len(chosen)} children left for {n} clients: build a larger "
                             f"one (BENCH_SCALE)")
        taken = {row.id for row in chosen}
        self.rows = [row for row in self.rows if row.id not in taken]
        return [db.session.get(Account, row.id) for row in chosen]


class WritePath:
    name = ""
    share = 0.5  # the expected rate, as a share of the reference's: sizes the objects prepared

    def __init__(self, base: str, rng: random.Random, accounts: Accounts):
        self.base, self.rng, self.accounts = base, rng, accounts
        self.plans: list[list[tuple[Browser, object]]] = []  # per client: (browser, object) in order

    def prepare(self, clients: int, per_client: int) -> None:
        """In the app context: the accounts and objects, through the platform's operations; fills ``self.plans``."""
        raise NotImplementedError

    def form(self, browser: Browser, item) -> tuple[str, str]:
        """The page the person opens and the action of the form on it, for the first object."""
        raise NotImplementedError

    def call(self, browser: Browser, item) -> Call:
        raise NotImplementedError

    def ok(self, call: Call, answer: Answer) -> bool:
        return answer.told_success

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        """In the app context, after the run: the problems found, and what was counted."""
        raise NotImplementedError

    def open(self) -> None:
        """Sign every browser in and open its form (outside the app context: the server does this)."""
        browsers = list({id(b): b for plan in self.plans for b, _item in plan}.values())
        sign_in_all(browsers)
        first = {}
        for plan in self.plans:
            for browser, item in plan:
                first.setdefault(id(browser), (browser, item))
        for browser, item in first.values():
            browser.open_form(*self.form(browser, item))

    def queues(self) -> list[Iterator[Call]]:
        return [iter([self.call(browser, item) for browser, item in plan]) for plan in self.plans]

    def browser(self, account) -> Browser:
        return Browser(self.base, account.username, account.id)


def _form(**fields) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def _told(outcomes: list[Outcome]) -> tuple[set, set]:
    return {o.key for o in outcomes if o.ok}, {o.key for o in outcomes if not o.ok}


def _pairs_report(told: set, refused: set, stored: Counter, what: str) -> tuple[list[str], str]:
    """Rows ``stored`` (key → count) against what the clients were told."""
    problems = []
    lost = told - stored.keys()
    doubled = [key for key, n in stored.items() if n > 1]
    stray = refused & stored.keys()
    if lost:
        problems.append(f"{len(lost)} {what} lost (told done, no row), e.g. {sorted(lost)[:3]}")
    if doubled:
        problems.append(f"{len(doubled)} {what} doubled, e.g. {doubled[:3]}")
    if stray:
        problems.append(f"{len(stray)} refused requests left a row, e.g. {sorted(stray)[:3]}")
    return problems, f"{sum(stored.values())} {what} for {len(told)} told"


class Support(WritePath):
    name, share = "support", 0.45
    action = "add"

    def _candidates(self, child, wanted: int) -> list[int]:
        from sqlalchemy import select

        from council.extensions import db
        from council.proposals.models import Proposal, ProposalAuthor
        from council.proposals.models import Support as SupportRow
        from council.proposals.operations import SUPPORTABLE

        if not hasattr(self, "_supportable"):
            self._supportable = list(db.session.scalars(select(Proposal.id).where(
                Proposal.state.in_(SUPPORTABLE), Proposal.hidden_at.is_(None)).order_by(Proposal.id)))
        mine = set(db.session.scalars(select(SupportRow.proposal_id).where(SupportRow.account_id == child.id)))
        mine |= set(db.session.scalars(select(ProposalAuthor.proposal_id).where(ProposalAuthor.account_id == child.id)))
        mine |= set(db.session.scalars(select(Proposal.id).where(Proposal.created_by_id == child.id)))
        free = [pid for pid in self._supportable if pid not in mine]
        return self.rng.sample(free, min(wanted, len(free)))

    def prepare(self, clients: int, per_client: int) -> None:
        for child in self.accounts.take(clients):
            browser = self.browser(child)
            self.plans.append([(browser, idea) for idea in self._candidates(child, per_client)])

    def form(self, browser: Browser, item) -> tuple[str, str]:
        return f"/ideas/{item}", f"/ideas/{item}/support"

    def open(self) -> None:
        super().open()
        for plan in self.plans:
            offered = plan[0][0].fields.get("action")
            if offered != self.action:
                raise SystemExit(f"writes: the idea page offers {plan[0][0].username} {offered!r}, not {self.action!r}")

    def call(self, browser: Browser, item) -> Call:
        return Call(browser, f"/ideas/{item}/support", _form(csrf_token=browser.token, action=self.action),
                    (item, browser.account_id))

    def _stored(self, outcomes: list[Outcome]) -> tuple[Counter, list[str]]:
        from sqlalchemy import func, select

        from council.extensions import db
        from council.proposals.models import Proposal
        from council.proposals.models import Support as SupportRow

        sent = {o.key for o in outcomes}
        ideas = sorted({idea for idea, _account in sent})
        accounts = sorted({account for _idea, account in sent})
        stored = Counter()  # the rows of the (idea, child) pairs the clients sent
        for idea, account, n in db.session.execute(
                select(SupportRow.proposal_id, SupportRow.account_id, func.count())
                .where(SupportRow.proposal_id.in_(ideas), SupportRow.account_id.in_(accounts))
                .group_by(SupportRow.proposal_id, SupportRow.account_id)):
            if (idea, account) in sent:
                stored[(idea, account)] = n
        rows = dict(db.session.execute(select(SupportRow.proposal_id, func.count())
                                       .where(SupportRow.proposal_id.in_(ideas)).group_by(SupportRow.proposal_id)).all())
        wrong = [(pid, count, rows.get(pid, 0)) for pid, count in db.session.execute(
            select(Proposal.id, Proposal.support_count).where(Proposal.id.in_(ideas))) if count != rows.get(pid, 0)]
        problems = [f"{len(wrong)} ideas' support counts differ from their rows (id, count, rows), e.g. {wrong[:3]}"] \
            if wrong else []
        return stored, problems

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        told, refused = _told(outcomes)
        stored, problems = self._stored(outcomes)
        found, summary = _pairs_report(told, refused, stored, "supports")
        return problems + found, summary + ", support counts = rows"


class TakeBack(Support):
    name, share = "take back", 0.65
    action = "remove"

    def prepare(self, clients: int, per_client: int) -> None:
        from council.extensions import db
        from council.proposals import operations as ideas
        from council.proposals.models import Proposal

        for child in self.accounts.take(clients):
            chosen = self._candidates(child, per_client)
            for idea in chosen:
                ideas.support(db.session.get(Proposal, idea), child)
            browser = self.browser(child)
            self.plans.append([(browser, idea) for idea in chosen])

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        told, refused = _told(outcomes)
        stored, problems = self._stored(outcomes)
        still = told & stored.keys()
        gone = refused - stored.keys()
        if still:
            problems.append(f"{len(still)} supports told taken back are still there, e.g. {sorted(still)[:3]}")
        if gone:
            problems.append(f"{len(gone)} supports whose taking back was refused are gone, e.g. {sorted(gone)[:3]}")
        doubled = [key for key, n in stored.items() if n > 1]
        if doubled:
            problems.append(f"{len(doubled)} supports doubled, e.g. {doubled[:3]}")
        return problems, (f"{len(told)} taken back, {len(told & stored.keys())} of them left; "
                          f"{sum(stored.values())} kept for {len(refused)} refused, support counts = rows")


class Ballot(WritePath):
    name, share = "ballot", 0.5

    def prepare(self, clients: int, per_client: int) -> None:
        from sqlalchemy import select

        from council.accounts import operations as accounts
        from council.accounts.models import MembershipRole
        from council.calendar import clock
        from council.councils.models import Council, Tier
        from council.extensions import db
        from council.sessions import operations as sessions

        coordinator = accounts.find_account("coordinator")
        towns = list(db.session.scalars(select(Council).where(Council.tier == Tier.town).order_by(Council.id)))
        area = Counter(row.path for row in self.accounts.rows)
        town = max(towns, key=lambda t: sum(n for path, n in area.items() if path.startswith(t.path)))
        members = self.accounts.take(clients, town.path)
        authors = self.accounts.take(3, town.path)
        today = clock.today()
        for child in members:
            held = child.current_memberships(MembershipRole.member)
            if not any(m.council_id == town.id for m in held):
                accounts.add_membership(child, town, MembershipRole.member, starts_on=today - timedelta(days=30))
        ideas = [self._published_idea(authors[i % len(authors)], town, coordinator, i) for i in range(per_client)]
        items = []
        for start in range(0, len(ideas), ITEMS_PER_SESSION):
            session = sessions.schedule(town, coordinator, title=f"压测会议 {start // ITEMS_PER_SESSION + 1}",
                                        starts_at=clock.now() - timedelta(minutes=30), place="活动室")
            agenda = [sessions.add_to_agenda(session, idea, coordinator)
                      for idea in ideas[start:start + ITEMS_PER_SESSION]]
            sessions.open_session(session, coordinator)
            present = {m.id for m in sessions.members_on(town, sessions.session_day(session))}
            sessions.mark_attendance(session, coordinator, present)
            for item in agenda:
                sessions.open_vote(item, coordinator)
            db.session.flush()
            items += [(session.id, item.id) for item in agenda]
        for child in members:
            browser = self.browser(child)
            self.plans.append([(browser, item) for item in items])  # all members on the same item, in order

    @staticmethod
    def _published_idea(author, council, moderator, n: int):
        """An idea worded as the scale seed's are (a wish, 希望…, as most of council/demo/scale.py's): the ideas made
        here are the newest of the bench's district, where a search for a common word reads the list newest first
        (council/proposals/search.py, ``walk``), so ideas unlike the district's would make every later run's
        ``search common`` walk past them."""
        from council.proposals import operations as ideas

        proposal = ideas.start_draft(author, council)
        ideas.save_draft(proposal, author, step=7, title=f"压测议题{n}：操场需要遮阳棚",
                         problem="夏天操场太晒了，上体育课的时候很多同学都觉得头晕。", place="学校操场",
                         idea="希望在操场边上搭一个遮阳棚，再放几张长椅。", who_helps="上体育课的同学")
        ideas.choose_topic(proposal, author, None)
        ideas.submit(proposal, author)
        ideas.publish(proposal, moderator)
        return proposal

    def form(self, browser: Browser, item) -> tuple[str, str]:
        session, agenda_item = item
        return f"/sessions/{session}/vote", f"/sessions/{session}/items/{agenda_item}/ballot"

    def call(self, browser: Browser, item) -> Call:
        session, agenda_item = item
        return Call(browser, f"/sessions/{session}/items/{agenda_item}/ballot",
                    _form(csrf_token=browser.token, choice=self.rng.choice(["for", "for", "against", "abstain"])),
                    (agenda_item, browser.account_id))

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        from sqlalchemy import func, select

        from council.extensions import db
        from council.sessions.models import Ballot as BallotRow
        from council.sessions.models import BallotReceipt

        told, refused = _told(outcomes)
        items = sorted({key[0] for key in told | refused})
        receipts = Counter({(item, voter): n for item, voter, n in db.session.execute(
            select(BallotReceipt.item_id, BallotReceipt.voter_id, func.count()).where(BallotReceipt.item_id.in_(items))
            .group_by(BallotReceipt.item_id, BallotReceipt.voter_id))})
        ballots = Counter({(item, voter): n for item, voter, n in db.session.execute(
            select(BallotRow.item_id, BallotRow.voter_id, func.count()).where(BallotRow.item_id.in_(items))
            .group_by(BallotRow.item_id, BallotRow.voter_id))})
        problems, summary = _pairs_report(told, refused, receipts, "ballot receipts")
        found, _ = _pairs_report(told, refused, ballots, "ballots")
        problems += found
        per_item = {item: (sum(n for (i, _v), n in receipts.items() if i == item),
                           sum(n for (i, _v), n in ballots.items() if i == item)) for item in items}
        uneven = [(item, r, b) for item, (r, b) in per_item.items() if r != b]
        if uneven:
            problems.append(f"{len(uneven)} items with receipts ≠ ballots (item, receipts, ballots), e.g. {uneven[:3]}")
        return problems, f"{summary}, {sum(ballots.values())} ballots, one per receipt"


class IdeaSubmit(WritePath):
    name, share = "idea submit", 0.45

    def prepare(self, clients: int, per_client: int) -> None:
        from sqlalchemy import select

        from council.extensions import db
        from council.plan.models import PlanTask
        from council.proposals import operations as ideas

        topics = list(db.session.scalars(select(PlanTask).order_by(PlanTask.no))) + [None]
        for child in self.accounts.take(clients):
            home = ideas.councils_for(child)[0]
            drafts = []
            for n in range(per_client):
                proposal = ideas.start_draft(child, home)
                ideas.save_draft(proposal, child, step=7, title=f"小区里的路灯坏了 {n}",
                                 problem="晚上放学回家，小区里的路灯一直不亮，走路的时候看不清楚。", place="我家小区",
                                 idea="希望尽快把路灯修好，再多装几盏。", who_helps="晚上走路回家的同学和老人")
                ideas.choose_topic(proposal, child, self.rng.choice(topics))
                drafts.append(proposal)
            db.session.flush()
            browser = self.browser(child)
            self.plans.append([(browser, proposal.id) for proposal in drafts])

    def form(self, browser: Browser, item) -> tuple[str, str]:
        return f"/ideas/{item}/step/7", f"/ideas/{item}/submit"

    def call(self, browser: Browser, item) -> Call:
        return Call(browser, f"/ideas/{item}/submit", _form(csrf_token=browser.token), item)

    def ok(self, call: Call, answer: Answer) -> bool:
        return answer.told_success and answer.location == f"/ideas/{call.key}"

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        from sqlalchemy import func, select

        from council.audit.models import Event
        from council.extensions import db
        from council.proposals.models import Proposal, ProposalState

        told, refused = _told(outcomes)
        ids = sorted(told | refused)
        states = dict(db.session.execute(select(Proposal.id, Proposal.state).where(Proposal.id.in_(ids))).all())
        events = Counter(dict(db.session.execute(select(Event.subject_id, func.count()).where(
            Event.action == "proposal_submitted", Event.subject_type == "proposals", Event.subject_id.in_(ids))
            .group_by(Event.subject_id)).all()))
        problems = []
        lost = [i for i in told if states.get(i) is not ProposalState.submitted or events[i] != 1]
        stray = [i for i in refused if states.get(i) is not ProposalState.draft or events[i]]
        if lost:
            problems.append(f"{len(lost)} ideas told sent are not submitted with one event (id, state, events), "
                            f"e.g. {[(i, states.get(i), events[i]) for i in lost[:3]]}")
        if stray:
            problems.append(f"{len(stray)} refused submits changed the idea (id, state, events), "
                            f"e.g. {[(i, states.get(i), events[i]) for i in stray[:3]]}")
        sent = sum(1 for i in ids if states.get(i) is ProposalState.submitted)
        return problems, f"{sent} submitted for {len(told)} told, {sum(events.values())} proposal_submitted events"


class CampaignVote(WritePath):
    name, share = "campaign vote", 0.3

    def prepare(self, clients: int, per_client: int) -> None:
        from council.accounts import operations as accounts
        from council.accounts.models import ConsentMethod
        from council.calendar import clock
        from council.campaigns import operations as campaigns
        from council.campaigns.models import CampaignKind, Phase
        from council.extensions import db

        coordinator = accounts.find_account("coordinator")
        today = clock.today()
        campaign = campaigns.create_campaign(
            coordinator, None, jurors=[coordinator], kind=CampaignKind.slogan,
            title=f"压测口号征集 {clock.now():%m-%d %H:%M:%S}",
            rules="写一句关于儿童友好周村的口号，不超过二十个字。", prizes="证书",
            age_groups=[[6, 11], [12, 17]], reviewing_from=today + timedelta(days=1),
            voting_from=today + timedelta(days=2), judging_from=today + timedelta(days=3),
            results_from=today + timedelta(days=4), entries_per_child=1, votes_per_child=CAMPAIGN_VOTES,
            jury_weight=70, rubric=[{"name": "创意", "weight": 100}], winners_per_group=3)
        campaigns.move_on(campaign, coordinator, Phase.open)
        entries = []
        for n, author in enumerate(self.accounts.take(CAMPAIGN_VOTES + 5)):
            entry = campaigns.submit_entry(campaign, author, author, title=f"口号 {n + 1}",
                                           description="一句写给周村小朋友的口号。",
                                           text=f"周村是我家，友好靠大家 {n + 1}")
            campaigns.record_consent(entry, coordinator, display=True, use=True, method=ConsentMethod.paper)
            campaigns.approve(entry, coordinator)
            entries.append(entry)
        campaigns.move_on(campaign, coordinator, Phase.reviewing)
        campaigns.move_on(campaign, coordinator, Phase.voting)
        db.session.flush()
        self.campaign, self.entries = campaign.id, [e.id for e in entries]
        children_each = math.ceil(per_client / CAMPAIGN_VOTES)
        voters = self.accounts.take(clients * children_each)
        for client in range(clients):
            plan = []
            for child in voters[client * children_each:(client + 1) * children_each]:
                browser = self.browser(child)
                plan += [(browser, entry) for entry in self.rng.sample(self.entries, CAMPAIGN_VOTES)]
            self.plans.append(plan)

    def form(self, browser: Browser, item) -> tuple[str, str]:
        return f"/campaigns/{self.campaign}", f"/campaigns/entries/{item}/vote"

    def call(self, browser: Browser, item) -> Call:
        return Call(browser, f"/campaigns/entries/{item}/vote", _form(csrf_token=browser.token, action="add"),
                    (item, browser.account_id))

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        from sqlalchemy import func, select

        from council.campaigns.models import CampaignVote as VoteRow
        from council.campaigns.models import Entry
        from council.extensions import db

        told, refused = _told(outcomes)
        stored = Counter({(entry, account): n for entry, account, n in db.session.execute(
            select(VoteRow.entry_id, VoteRow.account_id, func.count()).where(VoteRow.campaign_id == self.campaign)
            .group_by(VoteRow.entry_id, VoteRow.account_id))})
        problems, summary = _pairs_report(told, refused, stored, "votes")
        unknown = stored.keys() - told - refused
        if unknown:
            problems.append(f"{len(unknown)} votes nobody cast, e.g. {sorted(unknown)[:3]}")
        wrong = [(e.id, e.votes, sum(n for (entry, _a), n in stored.items() if entry == e.id))
                 for e in db.session.scalars(select(Entry).where(Entry.campaign_id == self.campaign))]
        wrong = [row for row in wrong if row[1] != row[2]]
        if wrong:
            problems.append(f"{len(wrong)} entries' vote counts differ from their rows (id, count, rows), "
                            f"e.g. {wrong[:3]}")
        per_child = Counter()
        for (_entry, account), n in stored.items():
            per_child[account] += n
        over = [(a, n) for a, n in per_child.items() if n > CAMPAIGN_VOTES]
        if over:
            problems.append(f"{len(over)} children hold more than {CAMPAIGN_VOTES} votes, e.g. {over[:3]}")
        return problems, f"{summary}, entries' votes = rows, none over the limit"


class TaskReply(WritePath):
    name, share = "task reply", 0.4

    def prepare(self, clients: int, per_client: int) -> None:
        from sqlalchemy import select

        from council.accounts import operations as accounts
        from council.accounts.models import Account, UnitStaff
        from council.calendar import clock
        from council.councils.models import Council, Tier
        from council.extensions import db
        from council.proposals import operations as ideas
        from council.proposals.models import ProposalState
        from council.tasks import operations as tasks
        from council.units.models import Unit

        coordinator = accounts.find_account("coordinator")
        district = db.session.scalar(select(Council).where(Council.tier == Tier.district).order_by(Council.id))
        staffed = set(db.session.scalars(select(UnitStaff.unit_id).join(Account, Account.id == UnitStaff.account_id)
                                         .where(Account.username.not_like("bench_unit_%"))))
        units = [u for u in db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.id))
                 if u.routable]
        units.sort(key=lambda u: u.id in staffed)  # units nobody else answers for first: the demo's desks stay
        units = units[:clients]
        staff = {}
        for unit in units:
            username = f"bench_unit_{unit.id}"
            account = accounts.find_account(username)
            if account is None:
                account = accounts.create_adult(username, PASSWORD, f"{unit.name} 压测")
                accounts.add_unit_staff(account, unit, starts_on=clock.today() - timedelta(days=365))
            staff[unit.id] = account
        sharing = math.ceil(clients / len(units))  # clients per unit: each unit's tasks are dealt out among them
        authors = self.accounts.take(3)
        by_unit: dict[int, list[int]] = {u.id: [] for u in units}
        for n in range(per_client * sharing):
            author = authors[n % len(authors)]
            proposal = ideas.start_draft(author, district)
            # worded as the district's ideas are (see ``_published_idea``)
            ideas.save_draft(proposal, author, step=7, title=f"压测任务{n}：公交站需要遮雨棚",
                             problem="下雨天在公交站等车，没有地方躲雨，书包都湿了。", place="学校门口公交站",
                             idea="希望给公交站装一个遮雨棚，再放几张椅子。", who_helps="坐公交上学的同学")
            ideas.choose_topic(proposal, author, None)
            ideas.submit(proposal, author)
            ideas.publish(proposal, coordinator)
            # As the demo does (council/demo/district.py): the district council adopted it at an earlier session.
            ideas.move(proposal, ProposalState.on_agenda, coordinator)
            ideas.move(proposal, ProposalState.adopted, coordinator, tally={"for": 5, "against": 0, "abstain": 0})
            for task in tasks.route(proposal, coordinator, lead=units[0], co_units=units[1:]):
                tasks.acknowledge(task, staff[task.unit_id])
                by_unit[task.unit_id].append(task.id)
        browsers = {}
        for client in range(clients):
            unit = units[client % len(units)]
            share = client // len(units)
            if unit.id not in browsers:
                browsers[unit.id] = self.browser(staff[unit.id])
            # Two clients of one unit would share one account; a second one signs in on a browser of its own.
            browser = browsers[unit.id] if share == 0 else self.browser(staff[unit.id])
            self.plans.append([(browser, task) for task in by_unit[unit.id][share::sharing]])

    def form(self, browser: Browser, item) -> tuple[str, str]:
        return f"/tasks/{item}", f"/tasks/{item}/reply"

    def open(self) -> None:
        super().open()
        if self.plans[0][0][0].fields["enctype"] != "multipart":
            raise SystemExit("writes: the reply form is no longer multipart: change TaskReply.call")

    def call(self, browser: Browser, item) -> Call:
        body, content_type = multipart(
            [("csrf_token", browser.token), ("grade", self.rng.choice("ABC")), ("summary", SUMMARY),
             ("reply_text", ""), ("reason", ""), ("photo_description", "")], [("photo", "", b"")])
        return Call(browser, f"/tasks/{item}/reply", body, item, content_type)

    def ok(self, call: Call, answer: Answer) -> bool:
        return answer.told_success and answer.location == f"/tasks/{call.key}"

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        from sqlalchemy import func, select

        from council.audit.models import Event
        from council.extensions import db
        from council.proposals.models import Proposal, ProposalState
        from council.tasks.models import Task, TaskState

        told, refused = _told(outcomes)
        ids = sorted(told | refused)
        rows = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)))}
        ideas = sorted({t.proposal_id for t in rows.values()})
        problems = []
        lost = [i for i in told if rows[i].state is not TaskState.replied]
        stray = [i for i in refused if rows[i].state is not TaskState.acknowledged]
        if lost:
            problems.append(f"{len(lost)} tasks told answered are not replied, e.g. {lost[:3]}")
        if stray:
            problems.append(f"{len(stray)} refused replies changed the task, e.g. {stray[:3]}")
        replied_events = Counter(dict(db.session.execute(select(Event.subject_id, func.count()).where(
            Event.action == "task_replied", Event.subject_type == "proposals", Event.subject_id.in_(ideas))
            .group_by(Event.subject_id)).all()))
        answered_events = Counter(dict(db.session.execute(select(Event.subject_id, func.count()).where(
            Event.action == "proposal_answered", Event.subject_type == "proposals", Event.subject_id.in_(ideas))
            .group_by(Event.subject_id)).all()))
        all_tasks: dict[int, list] = {}
        for task in db.session.scalars(select(Task).where(Task.proposal_id.in_(ideas))):
            all_tasks.setdefault(task.proposal_id, []).append(task)
        states = dict(db.session.execute(select(Proposal.id, Proposal.state).where(Proposal.id.in_(ideas))).all())
        uneven, stuck = [], []
        for idea, its_tasks in all_tasks.items():
            replied = sum(1 for t in its_tasks if t.state is TaskState.replied)
            if replied_events[idea] != replied:
                uneven.append((idea, replied, replied_events[idea]))
            complete = replied == len(its_tasks)
            if complete != (states[idea] is ProposalState.answered) or answered_events[idea] != int(complete):
                stuck.append((idea, f"{replied}/{len(its_tasks)} replied", states[idea].value, answered_events[idea]))
        if uneven:
            problems.append(f"{len(uneven)} ideas whose task_replied events differ from their replied tasks "
                            f"(idea, replied, events), e.g. {uneven[:3]}")
        if stuck:
            problems.append(f"{len(stuck)} ideas not answered exactly when all their tasks are (idea, tasks, state, "
                            f"proposal_answered events), e.g. {stuck[:3]}")
        answered = sum(1 for idea in ideas if states[idea] is ProposalState.answered)
        return problems, (f"{sum(1 for t in rows.values() if t.state is TaskState.replied)} replied for {len(told)} "
                          f"told, one event each; {answered} of {len(ideas)} ideas answered, each when complete")


class Reference(WritePath):
    """``POST /bench/write``: one row, counted by its run and number."""

    name = REFERENCE

    def __init__(self, base: str, rng: random.Random, accounts: Accounts | None = None):
        super().__init__(base, rng, accounts)  # type: ignore[arg-type]
        self.runs: list[str] = []

    def queues_for(self, clients: int) -> list[Iterator[Call]]:
        run = f"writes-{secrets.token_hex(6)}"
        self.runs.append(run)
        counter = iter(range(10**9))
        lock = threading.Lock()

        def endless(browser: Browser) -> Iterator[Call]:
            while True:
                with lock:
                    n = next(counter)
                yield Call(browser, "/bench/write", _form(run=run, n=n), (run, n))

        return [endless(Browser(self.base, f"client {i}", 0)) for i in range(clients)]

    def ok(self, call: Call, answer: Answer) -> bool:
        return answer.status == 204

    def verify(self, outcomes: list[Outcome]) -> tuple[list[str], str]:
        from sqlalchemy import func, select

        from council.audit.models import Event
        from council.extensions import db

        told, refused = _told(outcomes)
        stored = Counter({(run, n): count for run, n, count in db.session.execute(
            select(Event.reason, Event.subject_id, func.count()).where(
                Event.action == "bench_write", Event.reason.in_(self.runs)).group_by(Event.reason, Event.subject_id))})
        return _pairs_report(told, refused, stored, "events")


PATHS = [Support, TakeBack, Ballot, IdeaSubmit, CampaignVote, TaskReply]


# --- measuring -----------------------------------------------------------------------------------------------------

def _app(database_url: str):
    from council import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-writes"})


def _row(name: str, run: Run, reference: Run | None, problems: list[str], summary: str) -> dict:
    queries = [q for q in run.queries if q >= 0]
    return {
        "path": name, "rps": run.rps, "p50": run.percentile(50), "p99": run.percentile(99),
        "ratio": run.rps / reference.rps if reference and reference.rps else 1.0,
        "reference_rps": reference.rps if reference else run.rps, "seconds": run.elapsed, "ran_out": run.ran_out,
        "requests": len(run.outcomes), "succeeded": sum(1 for o in run.outcomes if o.ok),
        "refused": sum(1 for o in run.outcomes if not o.ok and 0 < o.status < 500),
        "server_errors": sum(1 for o in run.outcomes if o.status >= 500 or o.status == 0),
        "statuses": dict(Counter(o.status for o in run.outcomes)),
        "sql": statistics.median(queries) if queries else -1,
        "check": not problems, "problems": problems, "counted": summary,
    }


def measure(base: str, database_url: str, seconds: int, connections: int, names: list[str] | None = None) -> list[dict]:
    """Each path against the reference write measured just before it, on a server started in bench mode on
    ``database_url``; ``names``: only these paths. One row per path, the reference's first (its median run; its
    requests and answers are all of its runs'): ``path``, ``rps``, ``p50`` and ``p99`` (ms), ``ratio`` (to the
    reference run just before), ``reference_rps``, ``seconds`` (timed), ``ran_out`` (prepared objects ran out before
    ``seconds``), ``requests``, ``succeeded``, ``refused`` (a 4xx, or a redirect without its success message),
    ``server_errors`` (5xx or no answer), ``statuses``, ``sql`` (statements per request, median), ``check`` (the count
    check passed), ``problems`` (what it found otherwise) and ``counted`` (what it counted)."""
    rng = random.Random()
    app = _app(database_url)
    reference = Reference(base, rng)
    rows: list[dict] = []
    reference_runs: list[Run] = []
    try:
        with app.app_context():
            accounts = Accounts(rng)
        print("writes: the reference write, 2 s, to know the rate to prepare for …", flush=True)
        calibration = drive(reference.queues_for(connections), 2, reference.ok)
        reference_runs.append(calibration)
        for cls in PATHS:
            if names and cls.name not in names:
                continue
            path = cls(base, rng, accounts)
            per_client = max(20, math.ceil(calibration.rps * path.share * seconds * HEADROOM / connections)) + WARM_UP
            started = time.monotonic()
            with app.app_context():
                from council.extensions import db

                path.prepare(connections, per_client)
                db.session.commit()
                db.session.remove()
            prepared = time.monotonic()
            path.open()
            print(f"writes: {path.name}: {per_client} objects per client prepared ({prepared - started:.0f} s), "
                  f"{connections} clients signed in ({time.monotonic() - prepared:.0f} s); reference, then the path, "
                  f"{seconds} s each", flush=True)
            before = drive(reference.queues_for(connections), seconds, reference.ok)
            reference_runs.append(before)
            run = drive(path.queues(), seconds, path.ok)
            with app.app_context():
                from council.extensions import db

                problems, summary = path.verify(run.outcomes)
                db.session.remove()
            rows.append(_row(path.name, run, before, problems, summary))
        with app.app_context():
            from council.extensions import db

            everything = Run(outcomes=[o for r in reference_runs for o in r.outcomes])
            problems, summary = reference.verify(everything.outcomes)
            db.session.remove()
        timed = reference_runs[1:] or reference_runs
        middle = sorted(timed, key=lambda r: r.rps)[len(timed) // 2]
        row = _row(REFERENCE, middle, None, problems, summary)
        row.update(requests=len(everything.outcomes), succeeded=sum(1 for o in everything.outcomes if o.ok),
                   refused=sum(1 for o in everything.outcomes if not o.ok and 0 < o.status < 500),
                   server_errors=sum(1 for o in everything.outcomes if o.status >= 500 or o.status == 0),
                   statuses=dict(Counter(o.status for o in everything.outcomes)))
        rows.insert(0, row)
    finally:
        with app.app_context():
            from council.extensions import db

            db.engine.dispose()
    return rows


def print_table(rows: list[dict]) -> bool:
    """The table; False when a count check failed or the server answered a 5xx (or dropped a connection)."""
    print()
    print("writes: ratio = the path's req/s ÷ the reference write's, measured just before it with the same clients; "
          "requests and answers include the untimed warm-up; SQL = statements per request (median)")
    print(f"{'path':<16}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}{'SQL':>5}{'requests':>10}{'refused':>8}"
          f"{'5xx':>5}  count check")
    healthy = True
    for row in rows:
        note = "" if not row["ran_out"] else f" (ran out of prepared objects after {row['seconds']:.1f} s)"
        check = f"ok: {row['counted']}" if row["check"] else "FAILED: " + "; ".join(row["problems"])
        print(f"{row['path']:<16}{row['rps']:>8.0f}{row['p50']:>8.1f}{row['p99']:>8.1f}{row['ratio']:>7.2f}"
              f"{row['sql']:>5.0f}{row['requests']:>10}{row['refused']:>8}{row['server_errors']:>5}  {check}{note}")
        if row["refused"] or row["server_errors"]:
            print(f"{'':<16}answers: " + ", ".join(f"{status or 'no answer'}×{n}"
                                                   for status, n in sorted(row["statuses"].items())))
        healthy = healthy and row["check"] and not row["server_errors"]
    paths = [row for row in rows if row["path"] != REFERENCE]
    if paths:
        worst_ratio = min(paths, key=lambda r: r["ratio"])
        worst_p99 = max(paths, key=lambda r: r["p99"])
        print(f"writes: worst ratio {worst_ratio['ratio']:.2f} on {worst_ratio['path']}; worst p99 "
              f"{worst_p99['p99']:.0f} ms on {worst_p99['path']}; count checks "
              + ("exact" if all(r["check"] for r in rows) else
                 "FAILED on " + ", ".join(r["path"] for r in rows if not r["check"]))
              + ("" if not any(r["server_errors"] for r in rows) else "; SERVER ERRORS on "
                 + ", ".join(r["path"] for r in rows if r["server_errors"])))
    return healthy


# --- on its own ----------------------------------------------------------------------------------------------------

def scratch_copy(url: str) -> str:
    """The kept SQLite district, copied (SQLite's backup, consistent even mid-write) beside it: the writes stay out of
    the district the read pages are measured on."""
    source = Path(url.removeprefix("sqlite:///"))
    target = source.with_name(source.stem + "-writes.sqlite")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return f"sqlite:///{target}"


def main() -> int:
    os.environ.setdefault("BENCH_SCALE", "2")
    from bench import run  # after BENCH_SCALE: it reads the environment when imported

    seconds = int(os.environ.get("WRITES_SECONDS", "5"))
    connections = int(os.environ.get("WRITES_CONNECTIONS", "8"))
    names = [n.strip() for n in os.environ["WRITES_PATHS"].split(",")] if os.environ.get("WRITES_PATHS") else None
    url = run.database_url()
    run.build_dataset(url)
    if url.startswith("sqlite:///"):
        url = scratch_copy(url)
    port = run.free_port()
    server = run.start_server(url, port)
    try:
        rows = measure(f"http://127.0.0.1:{port}", url, seconds, connections, names)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\nscale {run.SCALE}, {run.WORKERS} gunicorn workers, {connections} clients, {seconds} s per run, "
          f"on {url.split(':')[0]}")
    return 0 if print_table(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
