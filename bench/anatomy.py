"""Where a page's time goes: each page of `make bench` served in one process, beside the reference, taken apart.

    .venv/bin/python bench/anatomy.py            # the bench's scale-100 district (bench/run.py builds it)
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/anatomy.py

The app is the one `make bench` serves (``create_app()`` in bench mode), called through Flask's test client, so no
server, network or load generator is in the figures. Each round asks every page ``ANATOMY_REQUESTS`` times in turn
(the pages alternate, so a slow moment of the machine falls on all of them); the table gives the median over
``ANATOMY_ROUNDS`` rounds of the milliseconds a request takes, split into:

- **SQL**: inside the database driver's ``execute`` (SQLAlchemy's cursor events), with the statements per request;
- **template**: rendering the page's template (Flask's ``before_render_template`` to ``template_rendered``),
  everything the template reads while it renders included;
- **rest**: everything else — the framework, the session and the signed-in account, the view's own Python, building
  statements and reading rows.

``fortunes signed in`` is the reference page asked with the unit desk's session cookie: what being signed in costs
any page, before the page does anything of its own. The ratio is the reference's time ÷ the page's, the same sense
as `make bench`'s (above 1 is faster), but without the server around it."""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["COUNCIL_BENCH"] = "1"
os.environ.setdefault("SECRET_KEY", "bench-secret")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or \
    f"sqlite:///{ROOT / 'instance' / 'bench' / 'scale-{}.sqlite'.format(os.environ.get('BENCH_SCALE', '100'))}"
ROUNDS = int(os.environ.get("ANATOMY_ROUNDS", "7"))
REQUESTS = int(os.environ.get("ANATOMY_REQUESTS", "40"))

from flask import before_render_template, template_rendered  # noqa: E402
from sqlalchemy import event  # noqa: E402

from council import create_app  # noqa: E402
from council.extensions import db  # noqa: E402


class Clock:
    """Time spent in SQL and in templates, and statements run, since the last ``take()``."""

    def __init__(self, app):
        self.sql = self.template = 0.0
        self.statements = 0
        self._started: list[float] = []
        self._rendering: list[float] = []
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._before)
            event.listen(db.engine, "after_cursor_execute", self._after)
        before_render_template.connect(lambda *a, **k: self._rendering.append(time.perf_counter()), app, weak=False)
        template_rendered.connect(self._rendered, app, weak=False)

    def _before(self, *args):
        self._started.append(time.perf_counter())

    def _after(self, *args):
        self.sql += time.perf_counter() - self._started.pop()
        self.statements += 1

    def _rendered(self, *args, **kwargs):
        started = self._rendering.pop()
        if not self._rendering:  # a template rendered inside another is counted once, in the outer one
            self.template += time.perf_counter() - started

    def take(self) -> tuple[float, float, int]:
        taken = (self.sql, self.template, self.statements)
        self.sql = self.template = 0.0
        self.statements = 0
        return taken


def signed_in(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": username, "password": "zhoucun2026"} | ({"csrf_token": token.group(1)} if token else {})
    assert client.post("/login", data=data).status_code == 302, f"{username} could not sign in"


def main() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise SystemExit(f"no district at {url}: `make bench` builds it first")
    app = create_app()
    visitor, unit = app.test_client(), app.test_client()
    signed_in(unit, "unit_edu")
    idea = re.search(r'href="/ideas/(\d+)"', visitor.get("/ideas/?sort=supported").get_data(as_text=True)).group(1)
    council = re.search(r'href="/councils/(\d+)"', visitor.get("/councils/").get_data(as_text=True)).group(1)
    pages = {
        "fortunes": (visitor, "/bench/fortunes"),
        "fortunes signed in": (unit, "/bench/fortunes"),
        "home": (visitor, "/"),
        "list newest": (visitor, "/ideas/"),
        "idea": (visitor, f"/ideas/{idea}"),
        "council": (visitor, f"/councils/{council}"),
        "unit desk": (unit, "/desk"),
        "api list": (visitor, "/api/v1/proposals"),
    }
    only = os.environ.get("BENCH_PAGES")
    if only:
        keep = {name.strip() for name in only.split(",")} | {"fortunes"}
        pages = {name: page for name, page in pages.items() if name in keep}
    clock = Clock(app)
    for client, path in pages.values():  # every template compiled, every kept statement and cache filled
        for _ in range(10):
            assert client.get(path).status_code == 200, path
    clock.take()
    measured: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, (client, path) in pages.items():
            started = time.perf_counter()
            for _ in range(REQUESTS):
                client.get(path)
            total = time.perf_counter() - started
            sql, template, statements = clock.take()
            measured[name].append((total / REQUESTS * 1000, sql / REQUESTS * 1000, template / REQUESTS * 1000,
                                   statements // REQUESTS))
    reference = statistics.median(m[0] for m in measured["fortunes"])
    print(f"{ROUNDS} rounds of {REQUESTS} requests a page, in one process (Flask's test client); medians, "
          f"ms a request; ratio = fortunes ÷ page")
    print(f"{'page':<20}{'ms':>7}{'ratio':>7}{'SQL':>5}{'SQL ms':>8}{'template':>10}{'rest':>7}")
    for name, runs in measured.items():
        total, sql, template = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"{name:<20}{total:>7.2f}{reference / total:>7.2f}{runs[0][3]:>5}{sql:>8.2f}{template:>10.2f}"
              f"{total - sql - template:>7.2f}")


if __name__ == "__main__":
    main()
