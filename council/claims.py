"""Claiming a state change in the database before anything follows from it.

Two taps on "send" that arrive together both read the draft as a draft. Each state change therefore moves the row
with a conditional UPDATE (``… SET state = 'submitted' WHERE id = ? AND state = 'draft'``) before its events,
messages and mails: the database lets exactly one of them through (PostgreSQL's row lock, SQLite's write lock),
and the other is refused with a clear message and changes nothing.

A change that is not one column moving from one value to another (a rating added to an answered idea, a guardian's
answer added to a child's record) first ``hold``s the row it belongs to, which queues every other request holding
or claiming the same row behind this one until it commits (PostgreSQL's ``SELECT … FOR UPDATE``; on SQLite a write
that changes nothing takes the database's write lock): what is read after it is what the request before left,
and a second tap sees the first one's effect."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm.attributes import set_committed_value

from council.calendar import clock
from council.errors import DomainError
from council.extensions import db


class AlreadyChanged(DomainError):
    """The row was no longer in the state this request read: someone (or another tap) moved it first."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This changed a moment ago, by another tap or another person. Reload the page "
                                      "to see it as it is now."))


def claim(instance, column, before, to, **also) -> None:
    """Move ``instance``'s row's ``column`` from ``before`` to ``to``, or raise ``AlreadyChanged``. ``also``: other
    columns of the same change (a reason, a date), written in the same statement. The instance then holds what the
    row holds, as if it had been loaded so (its ``updated_at`` too): the session does not write the change again."""
    model = type(instance)
    values = {column.key: to, **also}
    if "updated_at" in model.__table__.c:
        values.setdefault("updated_at", clock.now())
    moved = db.session.execute(update(model).where(model.id == instance.id, column == before).values(values)
                               .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise AlreadyChanged()
    for key, value in values.items():
        set_committed_value(instance, key, value)


def hold(*instances) -> None:
    """Queue behind every other request holding (or claiming) the rows of ``instances`` (one model), then read them
    again: from here to the commit, no other request changes them, and checks made now see what the request before
    committed. Many rows are held with one statement, in the order of their ids (so two requests holding some of the
    same rows queue, and never wait for each other)."""
    if not instances:
        return
    model = type(instances[0])
    db.session.flush()
    ids = sorted({instance.id for instance in instances})
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(model.id).where(model.id.in_(ids)).order_by(model.id).with_for_update())
    else:  # SQLite locks the whole database at a transaction's first write: one that changes nothing (not even
        # an ``updated_at``, which an ORM update would set)
        table = model.__table__
        db.session.execute(text(f"UPDATE {table.name} SET id = id WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": ids})
    if len(instances) == 1:
        db.session.refresh(instances[0])
        return
    for instance in instances:  # as ``refresh`` does, for all of them with one statement
        db.session.expire(instance)
    db.session.scalars(select(model).where(model.id.in_(ids))).all()
