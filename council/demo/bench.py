"""Bench mode (``COUNCIL_BENCH=1``, set only by ``make bench``): two reference routes and a query count.

- ``/bench/hello``: a bare "Hello, World!" — the cost of the server and the framework alone.
- ``/bench/fortunes``: the 20 newest public ideas through the ORM into the same base template as every page,
  in the spirit of TechEmpower's fortunes test. Every page is measured as a ratio to it, in the same run,
  process, database and configuration, so the numbers mean the same on any machine.
- Every answer carries ``X-SQL-Queries``: the statements it ran, so the benchmark can print them."""

from __future__ import annotations

from flask import Blueprint, Response, g, has_app_context, render_template
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from council.extensions import db


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

    app.register_blueprint(bp)

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if has_app_context():  # not for the queries of start-up
            g.sql_queries = g.get("sql_queries", 0) + 1

    @app.after_request
    def report(response):
        response.headers["X-SQL-Queries"] = str(g.get("sql_queries", 0))
        return response
