"""Database-level protection of the event log: a trigger refuses every UPDATE and DELETE of ``events``.

The ORM already refuses (council/audit/models.py); this stops raw SQL from the application too. The one
place the SQL lives: the migration installs it, the test fixture lifts it only to empty the tables.
In production the application's database role should additionally be denied UPDATE/DELETE/TRUNCATE
on ``events`` (see docs/operations.md, "PostgreSQL")."""

from __future__ import annotations

from sqlalchemy import text

MESSAGE = "events are append-only"

POSTGRESQL_INSTALL = (
    f"""CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$""",
    "DROP TRIGGER IF EXISTS events_append_only ON events",
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION events_append_only()",
)
POSTGRESQL_REMOVE = (
    "DROP TRIGGER IF EXISTS events_append_only ON events",
    "DROP FUNCTION IF EXISTS events_append_only()",
)
SQLITE_INSTALL = (
    "DROP TRIGGER IF EXISTS events_no_update",
    "DROP TRIGGER IF EXISTS events_no_delete",
    f"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
SQLITE_REMOVE = (
    "DROP TRIGGER IF EXISTS events_no_update",
    "DROP TRIGGER IF EXISTS events_no_delete",
)


def _statements(dialect: str, install: bool) -> tuple[str, ...]:
    if dialect == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    if dialect == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    raise NotImplementedError(f"no event log protection written for {dialect}")


def protect(connection) -> None:
    """Install the triggers (safe to repeat)."""
    for statement in _statements(connection.dialect.name, True):
        connection.execute(text(statement))


def unprotect(connection) -> None:
    """Remove the triggers: only the migration's downgrade and the SQLite test fixture call this."""
    for statement in _statements(connection.dialect.name, False):
        connection.execute(text(statement))
