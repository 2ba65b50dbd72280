"""Bench mode (``COUNCIL_BENCH=1``, set only by ``make bench``): reference routes and a query count.

- ``/bench/hello``: a bare "Hello, World!" — the cost of the server and the framework alone.
- ``/bench/fortunes``: the 20 newest public ideas through the ORM into the same base template as every page,
  in the spirit of TechEmpower's fortunes test. Every page is measured as a ratio to it, in the same run,
  process, database and configuration, so the numbers mean the same on any machine.
- ``/bench/write`` (POST): the reference write of bench/writes.py — one audit event (``action="bench_write"``)
  added through the ORM and committed, nothing read. Every write path is measured as a ratio to it. It writes into
  the event log, where most state changes also add a row (append-only, five indexes), rather than into a
  table of its own (which would need a migration for bench code). Harmless there: no figure, count or state reads
  this action (only the audit log and the coordinator's latest events list it, by its name, on the bench database),
  and the benchmark counts the rows afterwards — ``reason`` names the run, ``subject_id`` the request — so the
  reference is held to the same count check as the real paths. Exempt from CSRF, as only bench mode has it.
- Every answer carries ``X-SQL-Queries``: the statements it ran, so the benchmark can print them.
- Touching ``instance/bench-forget`` empties each worker's cache at its next request, so the benchmark can time
  the first request after a page's kept figures expired."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, g, has_app_context, render_template, request
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from council.extensions import cache, csrf, db


def init_app(app) -> None:
    """Called by ``create_app`` only when ``BENCH`` is on."""
    bp = Blueprint("bench", __name__)

    @bp.get("/bench/hello")
    def hello():
        return Response("Hello, World!", mimetype="text/plain")

    @bp.get("/bench/fortunes")
    def fortunes():
        from council.proposals.models import Proposal

        ideas = db.session.scalars(
            select(Proposal).where(Proposal.is_public, Proposal.published_at.is_not(None))
            .order_by(Proposal.published_at.desc(), Proposal.id.desc())
            .options(selectinload(Proposal.current_council)).limit(20)).all()
        return render_template("demo/bench/fortunes.html", ideas=ideas)

    @bp.post("/bench/write")
    @csrf.exempt
    def write():
        from council.audit.models import Event

        db.session.add(Event(action="bench_write", subject_type="bench", subject_id=request.form.get("n", type=int),
                             reason=(request.form.get("run") or "")[:64] or None))
        db.session.commit()
        return Response(status=204)

    app.register_blueprint(bp)

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if has_app_context():  # not for the queries of start-up
            g.sql_queries = g.get("sql_queries", 0) + 1

    # "The page's caches expired": `make bench` touches this file, and each worker empties its cache of kept
    # figures and visitor pages at its next request, as when they were dropped unread (council/caching.py).
    forget = Path(app.instance_path) / "bench-forget"
    seen = {"stamp": None}

    @app.before_request
    def expire():
        try:
            stamp = forget.stat().st_mtime_ns
        except FileNotFoundError:
            return
        if stamp != seen["stamp"]:
            seen["stamp"] = stamp
            cache.clear()

    @app.after_request
    def report(response):
        response.headers["X-SQL-Queries"] = str(g.get("sql_queries", 0))
        return response
