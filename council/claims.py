"""Claiming a state change in the database before anything follows from it.

Two taps on "send" that arrive together both read the draft as a draft. Each state change therefore moves the row
with a conditional UPDATE (``… SET state = 'submitted' WHERE id = ? AND state = 'draft'``) before its events,
messages and mails: the database lets exactly one of them through (PostgreSQL's row lock, SQLite's write lock),
and the other is refused with a clear message and changes nothing."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

from council.errors import DomainError
from council.extensions import db


class AlreadyChanged(DomainError):
    """The row was no longer in the state this request read: someone (or another tap) moved it first."""


def claim(model, row_id: int, column, before, to) -> None:
    """Move ``model`` row ``row_id``'s ``column`` from ``before`` to ``to``, or raise ``AlreadyChanged``."""
    moved = db.session.execute(update(model).where(model.id == row_id, column == before).values({column.key: to})
                               .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise AlreadyChanged(_("This changed a moment ago, by another tap or another person. Reload the page to see "
                               "it as it is now."))
