"""The platform keeps its own planner statistics: no command leaves a database the planner knows nothing about
(council/db.py ``analyse`` and ``optimize``)."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from sqlalchemy import event, insert, select

from council.councils.models import Council, CouncilKind, Tier
from council.extensions import db


@contextmanager
def statements(engine):
    """The SQL the engine runs inside the block, as sent."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.strip())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_seed_analyses_what_it_loaded(app, runner):
    with statements(db.engine) as seen:
        result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "ANALYZE" in seen
    if db.engine.dialect.name == "sqlite":  # the statistics themselves, for the tables the seed filled
        with db.engine.connect() as connection:
            tables = {row[0] for row in connection.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
        assert {"councils", "plan_tasks", "units"} <= tables


def test_an_upgrade_that_applied_revisions_analyses_and_one_that_did_nothing_does_not(own_app, tmp_path):
    from flask_migrate import upgrade

    app = own_app(SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "scratch.sqlite"))
    with app.app_context():
        with statements(db.engine) as first:
            upgrade()
        with statements(db.engine) as again:
            upgrade()
    assert "ANALYZE" in first and "ANALYZE" not in again


def test_a_sqlite_connection_leaves_statistics_for_the_tables_it_used(own_app, tmp_path):
    """SQLite's own advice: PRAGMA optimize as a connection closes (and every SQLITE_OPTIMIZE_SECONDS while it is
    pooled). A worker that only ever served pages still gives the planner what it needs."""
    path = tmp_path / "optimize.sqlite"
    app = own_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    _fill_and_read(app)
    assert not _statistics(path)  # the connection is still in the pool
    with app.app_context():
        db.engine.dispose()  # the pool closes its connections: each runs PRAGMA optimize first
    assert _statistics(path)


def _fill_and_read(app) -> None:
    """3,000 councils, then one read by the indexed path, the connection back in the pool each time."""
    with app.app_context():
        db.create_all()
        db.session.execute(insert(Council), [{"name": f"社区{i}", "code": f"c-{i}", "tier": Tier.community,
                                             "kind": CouncilKind.community, "path": f"/{i}/"} for i in range(3000)])
        db.session.commit()
        assert db.session.scalar(select(Council.id).where(Council.path == "/42/")) is not None
        db.session.remove()


def _statistics(path) -> list:
    with sqlite3.connect(path) as connection:
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall():
            return []
        return connection.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'councils'").fetchall()


def test_a_pooled_sqlite_connection_is_optimized_when_the_interval_has_passed(own_app, tmp_path):
    """Connections of a worker live for days: going back to the pool, one optimizes again once
    SQLITE_OPTIMIZE_SECONDS have passed since it last did, and not before."""
    often, rarely = tmp_path / "often.sqlite", tmp_path / "rarely.sqlite"
    _fill_and_read(own_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{often}", SQLITE_OPTIMIZE_SECONDS=0))
    _fill_and_read(own_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{rarely}"))  # the default hour
    assert _statistics(often) and not _statistics(rarely)  # both connections still open in their pools
