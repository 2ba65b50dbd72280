"""Writing the event log. Every state change in the platform goes through ``record``."""

from __future__ import annotations

from typing import Any

from council.audit.models import Event
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
