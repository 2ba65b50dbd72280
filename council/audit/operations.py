"""Writing the event log. Every state change in the platform goes through ``record``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import insert

from council.audit.models import Event
from council.calendar import clock
from council.extensions import db


def record(
    action: str,
    subject: Any = None,
    *,
    actor=None,
    council=None,
    from_state: Any = None,
    to_state: Any = None,
    reason: str | None = None,
    subject_type: str | None = None,
    **data: Any,
) -> Event:
    """Append one event. ``subject`` is any mapped record; its table name becomes the subject type."""
    if subject is not None and getattr(subject, "id", 1) is None:
        db.session.flush()  # a record created in this request needs its id before it is logged
    entry = Event(
        action=action,
        actor_id=getattr(actor, "id", None),
        subject_type=subject_type or getattr(subject, "__tablename__", "platform"),
        subject_id=getattr(subject, "id", None),
        council_id=getattr(council, "id", None),
        from_state=None if from_state is None else str(from_state),
        to_state=None if to_state is None else str(to_state),
        reason=reason,
        data=data,
    )
    db.session.add(entry)
    return entry


def record_each(action: str, subjects: Iterable[Any], *, actor=None, council_of: Callable[[Any], Any] = lambda _: None,
                **data: Any) -> None:
    """One event per subject, as ``record`` writes them, sent in one statement on every engine: a roster of 500
    children seen at once is one INSERT, not 500 (SQLite's driver sends the ORM's rows one at a time)."""
    now = clock.now()
    rows = [{"created_at": now, "action": action, "actor_id": getattr(actor, "id", None),
             "subject_type": subject.__tablename__, "subject_id": subject.id,
             "council_id": getattr(council_of(subject), "id", None), "data": data} for subject in subjects]
    if rows:
        db.session.execute(insert(Event), rows)
