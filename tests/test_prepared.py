"""On PostgreSQL, a transaction that wrote nothing ends with COMMIT, so psycopg keeps what it prepared (a ROLLBACK
makes it forget every prepared statement, and every request used to end with one); one that wrote, however it
wrote, is still rolled back (council/db.py ``keep_prepared_statements``). SQLite has nothing of the kind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError

from council.councils.models import Council, CouncilKind, Tier
from council.extensions import db
from tests.conftest import postgres_only

pytestmark = postgres_only

COUNCIL = {"code": "prepared-test", "name": "试验议事会", "tier": Tier.district, "kind": CouncilKind.district,
           "path": "/"}


def _prepared(connection) -> list[str]:
    return connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()


def _councils_named(code: str) -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count(Council.id)).where(Council.code == code))


def test_a_transaction_that_only_read_keeps_what_was_prepared(app):
    with app.app_context(), db.engine.connect() as connection:
        for _ in range(7):  # psycopg prepares a statement at its fifth run on a connection
            connection.execute(select(Council.id).where(Council.code == "nowhere")).all()
            connection.rollback()
        assert any("FROM councils" in statement for statement in _prepared(connection))


def test_a_page_read_again_runs_statements_prepared_before(app, client):
    with app.app_context():
        # The pool hands its idle connections out in turn (first in, first out): enough views for each to run the
        # page seven times, whichever of them is asked afterwards.
        for _ in range(7 * max(db.engine.pool.checkedin(), 1)):
            assert client.get("/ideas/").status_code == 200
        with db.engine.connect() as connection:  # one of the connections the requests used
            assert any("FROM proposals" in statement for statement in _prepared(connection))


def test_a_transaction_that_wrote_through_sqlalchemy_is_rolled_back(app):
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(insert(Council).values(**COUNCIL))
        connection.rollback()
        assert _councils_named("prepared-test") == 0


def test_a_transaction_that_wrote_around_sqlalchemy_is_rolled_back(app):
    """Written with the driver's own cursor (as the scale seed's COPY does), which SQLAlchemy's events never see:
    PostgreSQL itself says the transaction wrote, and it is rolled back."""
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(select(Council.id).limit(1)).all()  # only a SELECT seen
        with connection.connection.driver_connection.cursor() as cursor:
            cursor.execute("INSERT INTO councils (code, name, tier, kind, path, is_demo, quorum_percent, "
                           "majority_percent, created_at) VALUES ('prepared-raw', '试验', 'district', 'district', "
                           "'/', false, 50, 50, now())")
        connection.rollback()
        assert _councils_named("prepared-raw") == 0


def test_a_failed_transaction_is_rolled_back(app):
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(DBAPIError):
            connection.exec_driver_sql("SELECT 1 / 0")
        connection.rollback()
        assert connection.scalar(select(func.count(Council.id))) is not None  # the connection works on
