"""The audit viewer's filters: the event log, newest first, one page at a time by id (keyset)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS, Event
from council.calendar import clock
from council.forms import FIRST_DAY, LAST_DAY, whole_number

PAGE_SIZE = 50
CSV_LIMIT = 100_000


def _int(value) -> int | None:
    """A typed id, or None: also for one too big for any id column (council/forms.py whole_number)."""
    try:
        return whole_number(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value) -> date | None:
    """A typed day, or None: also for a day no one means (the year 1, the year 9999), which the log cannot
    hold and whose local midnight cannot even be counted."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is None or FIRST_DAY <= day <= LAST_DAY else None


def _local_midnight(day: date) -> datetime:
    """Dates are read on the district's clock; the log keeps UTC."""
    zone = clock.zone()
    return datetime.combine(day, time(), zone).astimezone(UTC)


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    council: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        action = args.get("action", "")
        return cls(
            action=action if action in ACTION_LABELS else "",
            actor=args.get("actor", "").strip().lower()[:64],
            subject_type=args.get("subject_type", "").strip()[:32],
            subject_id=_int(args.get("subject_id")),
            council=_int(args.get("council")),
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
        )

    def args(self) -> dict[str, str]:
        """The filters as query-string values, for the next-page and CSV links."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in values.items() if v not in (None, "")}

    def query(self) -> Select:
        query = select(Event).options(selectinload(Event.actor)).order_by(Event.id.desc())
        if self.action:
            query = query.where(Event.action == self.action)
        if self.actor:
            query = query.where(Event.actor_id.in_(select(Account.id).where(Account.username == self.actor)))
        if self.subject_type:
            query = query.where(Event.subject_type == self.subject_type)
        if self.subject_id is not None:
            query = query.where(Event.subject_id == self.subject_id)
        if self.council is not None:
            query = query.where(Event.council_id == self.council)
        if self.date_from:
            query = query.where(Event.created_at >= _local_midnight(self.date_from))
        if self.date_to:
            query = query.where(Event.created_at < _local_midnight(self.date_to + timedelta(days=1)))
        return query


def action_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(label)) for key, label in ACTION_LABELS.items()), key=lambda pair: pair[1])
