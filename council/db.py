"""Declarative base, shared column types and the labelled enums every feature uses."""

from __future__ import annotations

import enum
from datetime import UTC

from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, TypeDecorator, case, func, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.attributes import set_committed_value

# Stable constraint names, so migrations read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A 64-bit key on PostgreSQL; SQLite only auto-increments a plain INTEGER primary key.
BigID = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite forgets the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Label(LazyString):
    """An enum member's label: a lazy string that a page escapes like any text (Flask-Babel's own lazy strings pass
    as markup, so “Deleting the child's data” would reach the HTML unescaped). Where JSON is written, ``str()`` it
    first: Flask's encoder would take the escaped HTML.

    Put into words once per language and kept: a list of fifty ideas reads a state's label fifty times, and each
    reading went through Flask-Babel's lookup of the request's catalogue (a tenth of the API list's time). The
    language is the reader's as ``i18n.locale_name`` says, so ``force_locale`` still switches it."""

    def __init__(self, func, *args, **kwargs):
        super().__init__(func, *args, **kwargs)
        self._said: dict[str, str] = {}

    def __str__(self) -> str:
        from council.i18n import locale_name

        language = locale_name()
        said = self._said.get(language)
        if said is None:
            said = self._said[language] = str(self._func(*self._args, **self._kwargs))
        return said

    def __html__(self) -> Markup:
        return escape(str(self))


class LabeledEnum(enum.StrEnum):
    """A string enum whose members carry a translated label: ``Tier.town.label`` → 镇（街道）. The label is the one
    home of the words people see for a member: pages, mails and downloads show ``label``, never the value (a code
    for the database, the API and the event log)."""

    def __new__(cls, value: str, label=None, child=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = Label(str, label) if label is not None else value
        member._child = Label(str, child) if child is not None else None
        return member

    @property
    def label(self):
        """The lazy string itself, put into words where it is shown, in the language of whoever reads it: a label
        taken at import time (a form's choices) or kept between requests still reads in each reader's language.
        ``str(member.label)`` where a plain string is needed now (a join, a spreadsheet cell)."""
        return self._label

    @property
    def child_label(self):
        """The words a nine-year-old says for the member, where an enum gives them (a third value beside the label:
        the one table of what each state, grade, outcome and deadline status is called for children and for adults);
        pages a child or the public reads show these. The label where the enum has none."""
        return self._child if self._child is not None else self._label

    @property
    def has_child_words(self) -> bool:
        return self._child is not None

    @classmethod
    def label_of(cls, value: str | None):
        """The label of a stored value (an event's state), or the value itself if no member has it."""
        try:
            return cls(value).label
        except ValueError:
            return value or ""

    def __str__(self) -> str:
        return self.value


def enum_column(enum_cls: type[LabeledEnum], length: int = 32):
    """Stored as its value in a VARCHAR, so adding a state later needs no type migration."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


def optimize(connection) -> None:
    """SQLite's upkeep of its planner statistics (https://sqlite.org/lang_analyze.html#autoanalyze): ``PRAGMA
    optimize`` analyses the tables whose statistics are missing or out of date, each within ``analysis_limit``
    rows, and does nothing when none is; on a DBAPI connection, never failing the request or the close it
    runs in (a database busy elsewhere is analysed on the next turn)."""
    import sqlite3

    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA analysis_limit=400")
        cursor.execute("PRAGMA optimize")
        cursor.close()
    except sqlite3.Error:
        pass


def count_where(condition):
    """SQL: the rows of a group meeting ``condition`` — ``count(CASE WHEN … THEN 1 END)``, an integer on every engine
    and never NULL (``sum(CASE …)`` is a Decimal on PostgreSQL and NULL over no rows)."""
    return func.count(case((condition, 1)))


def analyse(connection=None) -> None:
    """Bring the planner's statistics up to date after a bulk load (``seed``, ``seed --scale``, a migration): on
    both engines one ``ANALYZE`` of the whole database, committed — on ``connection`` (a migration's), or on a
    connection of its own. PostgreSQL's autovacuum would get there within minutes, SQLite never; either way no
    command of the platform leaves a database the planner knows nothing of."""
    if connection is not None:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
        return
    from council.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as own:
        own.exec_driver_sql("ANALYZE")


def keep_prepared_statements(app) -> None:
    """On PostgreSQL, a transaction that wrote nothing ends with COMMIT instead of ROLLBACK.

    psycopg prepares a statement on the server once a connection has run it five times, and PostgreSQL then
    plans it once instead of on every run (the idea list's cards: 0.7 ms of planning against 0.16 ms of running).
    But psycopg forgets every prepared statement of a connection at each ROLLBACK, and every request ended with
    one (Flask-SQLAlchemy closes the request's session, which rolls its transaction back), so nothing was ever
    prepared and every statement of every page was planned anew.

    Just before a transaction is rolled back, if PostgreSQL says it wrote nothing (no transaction id was ever
    assigned to it: no row inserted, changed, deleted or locked, by SQLAlchemy or by the driver's own cursor), it is
    committed instead; SQLAlchemy's ROLLBACK then finds nothing to roll back. Both endings of such a transaction
    leave the database the same. Any transaction that wrote, or failed, still rolls back. Most transactions that
    write end with a commit of their own and never come here."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from sqlalchemy import event

    from council.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "rollback")
    def commit_what_wrote_nothing(connection):
        raw = connection.connection.driver_connection
        if raw is None or raw.info.transaction_status != TransactionStatus.INTRANS:
            return  # no transaction, or a failed one
        try:
            with raw.cursor() as cursor:
                if cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL").fetchone()[0]:
                    raw.commit()
        except psycopg.Error:
            pass  # the rollback that follows ends the transaction as it always did


def insert_once(model, **values) -> bool:
    """Insert one row of ``model`` unless the table's unique constraint already holds one like it (two taps at the
    same moment, a second run of a command): True when this call inserted it. The database decides, in one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on SQLite and PostgreSQL alike (a row count would not do: the
    driver reports none for a statement that returns rows). A savepoint around the ORM's INSERT, caught
    IntegrityError and all, cost three statements and took any other refusal (a missing parent) for a duplicate.
    Column defaults apply as in an ORM insert; no object joins the session."""
    from council.extensions import db  # the extensions are built on this module's Base

    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key)
    return db.session.execute(statement).first() is not None  # the new row's key; none when nothing was inserted


def move_count(obj, name: str, by: int) -> int:
    """Add ``by`` to the stored counter ``name`` of ``obj`` in the database — never read, added to and written back
    in Python, where two requests at once would lose one — and keep the new value on ``obj`` as the database has it:
    one ``UPDATE … RETURNING`` (also the row's ``onupdate`` columns, such as ``updated_at``), where the update and
    a refresh were two statements."""
    from council.extensions import db

    table = inspect(obj).mapper.local_table
    column = table.c[name]
    value = db.session.execute(update(table).where(table.c.id == obj.id).values({column: column + by})
                               .returning(column)).scalar_one()
    set_committed_value(obj, name, value)
    return value


__all__ = ["Base", "BigID", "LabeledEnum", "String", "UTCDateTime", "analyse", "count_where", "enum_column",
           "insert_once", "keep_prepared_statements", "move_count", "optimize"]

