"""Concurrency soak: 16 children support, vote and rate at once for 60 s; afterwards every count must equal the
rows behind it, nothing a child did may be lost or doubled, and the server may not have answered one 5xx.

    .venv/bin/python bench/soak.py                       # a fresh SQLite file
    SOAK_DATABASE_URL=postgresql+psycopg://… bench/soak.py   # an empty PostgreSQL database (its tables are reset)

Loopback only; bounded in time (SOAK_SECONDS, default 60; SOAK_CLIENTS, default 16). The server is the production
one (gunicorn, one worker per core), so two processes write to the same database at the same time."""

from __future__ import annotations

import collections
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from council.calendar import clock

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "16"))
PASSWORD = "soak-password-2026"


def database_url() -> str:
    url = os.environ.get("SOAK_DATABASE_URL")
    if url:
        return url
    folder = ROOT / "instance" / "soak"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (folder / f"soak.sqlite{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{folder / 'soak.sqlite'}"


def app_for(url: str):
    os.environ["DATABASE_URL"] = url
    from council import create_app

    return create_app()


def prepare(url: str) -> dict:
    """A demo district, CLIENTS children at the demo school, a campaign in its voting phase, answered ideas the
    children supported (so they may rate them), and public ideas to support."""
    env = os.environ | {"DATABASE_URL": url}
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    for command in (["db", "upgrade"], ["seed", "--demo"]):
        subprocess.run([BIN / "flask", "--app", "council", *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = app_for(url)
    with app.app_context():
        from sqlalchemy import select, update

        from council.accounts import operations as accounts
        from council.campaigns.models import Campaign, Entry, EntryState, Phase
        from council.councils.models import Council
        from council.extensions import db
        from council.proposals.models import Proposal, ProposalState, Support

        school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
        children = [accounts.create_child(f"soak{i:02d}", PASSWORD, f"压测{i:02d}", real_name="测试",
                                          birth_year=clock.today().year - 15, home_council=school)
                    for i in range(CLIENTS)]
        db.session.flush()
        campaign = db.session.scalar(select(Campaign).where(Campaign.council_id == school.id))
        today = clock.today()
        # Straight to voting, with every entry shown: the soak is about counting, not about the review.
        campaign.phase = Phase.voting
        campaign.voting_from, campaign.judging_from = today - timedelta(days=1), today + timedelta(days=7)
        campaign.results_from = today + timedelta(days=14)
        campaign.votes_per_child = 3
        entries = list(db.session.scalars(select(Entry).where(Entry.campaign_id == campaign.id)))
        for entry in entries:
            entry.state = EntryState.approved
            entry.consent_display = entry.consent_use = True
        public = list(db.session.scalars(select(Proposal).where(Proposal.state == ProposalState.published)
                                         .order_by(Proposal.id).limit(12)))
        answered = list(db.session.scalars(select(Proposal).where(Proposal.state == ProposalState.answered)))
        for proposal in answered:  # supporters may rate the answer
            for child in children:
                db.session.add(Support(proposal_id=proposal.id, account_id=child.id))
            db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                               .values(support_count=Proposal.support_count + len(children)))
        db.session.commit()
        return {"children": [c.username for c in children], "public": [p.id for p in public],
                "answered": [p.id for p in answered], "entries": [e.id for e in entries if e.is_public],
                "campaign": campaign.id, "limit": campaign.votes_per_child}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "soak-secret"}
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", str(os.cpu_count() or 2), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "council:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Child:
    """One child on their own phone: a session, a CSRF token, and what they believe they did."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.statuses: collections.Counter = collections.Counter()
        self.supported: dict[int, bool] = {}
        self.rated: set[int] = set()

    def request(self, path: str, data: dict | None = None, json_answer: bool = False):
        headers = {"Accept": "application/json"} if json_answer else {}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers),
                                  timeout=30) as response:
                self.statuses[response.status] += 1
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.statuses[error.code] += 1
            return error.code, error.read().decode(errors="replace")

    def sign_in(self) -> None:
        _, page = self.request("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, _ = self.request("/login", {"username": self.username, "password": PASSWORD, "csrf_token": token})
        assert status == 302, f"{self.username} could not sign in ({status})"
        _, page = self.request("/ideas/")
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'<meta name="csrf-token" content="([^"]+)"', page)
        self.token = self.token.group(1) if self.token else token

    def support(self, idea: int) -> None:
        action = "remove" if self.supported.get(idea) else "add"
        status, body = self.request(f"/ideas/{idea}/support", {"csrf_token": self.token, "action": action},
                                    json_answer=True)
        if status == 200:
            self.supported[idea] = json.loads(body)["supported"]

    def vote(self, entry: int) -> None:
        action = random.choice(["add", "add", "remove"])
        self.request(f"/campaigns/entries/{entry}/vote", {"csrf_token": self.token, "action": action})

    def rate(self, idea: int) -> None:
        status, _ = self.request(f"/ideas/{idea}/rate", {"csrf_token": self.token,
                                                         "value": random.choice(["satisfied", "partly"])})
        if status == 302:
            self.rated.add(idea)


def run_clients(base: str, plan: dict) -> list[Child]:
    children = [Child(base, username) for username in plan["children"]]
    for child in children:
        child.sign_in()
    deadline = time.monotonic() + SECONDS

    def work(child: Child, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.55:
                child.support(rng.choice(plan["public"]))
            elif roll < 0.9 and plan["entries"]:
                child.vote(rng.choice(plan["entries"]))
            elif plan["answered"]:
                child.rate(rng.choice(plan["answered"]))

    threads = [threading.Thread(target=work, args=(child, n)) for n, child in enumerate(children)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return children


def verify(url: str, plan: dict, children: list[Child]) -> list[str]:
    """Every stored counter equals its rows; every support a child was last told about is there, and no other;
    every rating a child gave is stored once; no child holds more votes than the campaign allows."""
    app = app_for(url)
    problems = []
    with app.app_context():
        from sqlalchemy import func, select

        from council.accounts.models import Account
        from council.campaigns.models import CampaignVote, Entry
        from council.extensions import db
        from council.proposals.models import Proposal, Support
        from council.tasks.models import Rating

        ids = {a.username: a.id for a in db.session.scalars(select(Account).where(
            Account.username.in_(plan["children"])))}
        for proposal in db.session.scalars(select(Proposal)):
            rows = db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id))
            if rows != proposal.support_count:
                problems.append(f"idea {proposal.id}: counter {proposal.support_count}, rows {rows}")
        for entry in db.session.scalars(select(Entry)):
            rows = db.session.scalar(select(func.count(CampaignVote.id)).where(CampaignVote.entry_id == entry.id))
            if rows != entry.votes:
                problems.append(f"entry {entry.id}: counter {entry.votes}, rows {rows}")
        stored = set(db.session.execute(select(Support.proposal_id, Support.account_id).where(
            Support.proposal_id.in_(plan["public"]), Support.account_id.in_(list(ids.values())))).all())
        told = {(idea, ids[c.username]) for c in children for idea, on in c.supported.items() if on}
        if stored != told:
            problems.append(f"supports: {len(told - stored)} lost, {len(stored - told)} unexpected")
        for child in children:
            for idea in child.rated:
                n = db.session.scalar(select(func.count(Rating.id)).where(
                    Rating.proposal_id == idea, Rating.account_id == ids[child.username]))
                if n != 1:
                    problems.append(f"{child.username} rated idea {idea}: {n} rows")
            votes = db.session.scalar(select(func.count(CampaignVote.id)).where(
                CampaignVote.account_id == ids[child.username], CampaignVote.campaign_id == plan["campaign"]))
            if votes > plan["limit"] and not url.startswith("sqlite"):
                problems.append(f"{child.username} holds {votes} votes (limit {plan['limit']})")
        totals = {"supports": len(stored), "votes": db.session.scalar(select(func.count(CampaignVote.id))),
                  "ratings": db.session.scalar(select(func.count(Rating.id)))}
    print("rows after the soak: " + ", ".join(f"{v} {k}" for k, v in totals.items()))
    return problems


def main() -> int:
    url = database_url()
    started = clock.now()
    plan = prepare(url)
    port = free_port()
    server = start_server(url, port)
    try:
        children = run_clients(f"http://127.0.0.1:{port}", plan)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    statuses = sum((c.statuses for c in children), collections.Counter())
    requests = sum(statuses.values())
    print(f"soak on {url.split('://')[0]}: {len(children)} children for {SECONDS} s, {requests} requests "
          f"({requests / SECONDS:.0f}/s); answers: " + ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
    problems = verify(url, plan, children)
    errors = sum(v for k, v in statuses.items() if k >= 500)
    if errors:
        problems.append(f"{errors} server errors")
    for problem in problems:
        print("soak: " + problem)
    print(f"soak: {'exact counts, no server error' if not problems else 'FAILED'} "
          f"(started {started:%H:%M:%S}Z, took {(clock.now() - started).seconds} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
