"""Working days on the official Chinese calendar (DESIGN §6): weekends, public holidays and the make-up working
days (调休), from the chinesecalendar package, corrected and extended by the coordinating office's own entries."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
from chinese_calendar.constants import holidays
from flask_babel import gettext as _
from sqlalchemy import select

from council.audit.operations import record
from council.calendar.models import CalendarDay
from council.errors import DomainError, require
from council.extensions import db

ONE_DAY = timedelta(days=1)
# The State Council publishes next year's holidays late in the year; warn this far ahead.
# A task dispatched today may be due up to 40 working days (about two months) later: look that far, and more.
LOOKAHEAD = timedelta(days=120)
NOTE_LENGTH = 120


@cache
def known_years() -> range:
    """The years the installed package has the State Council's notice for; it refuses any other year."""
    years = {day.year for day in holidays}
    return range(min(years), max(years) + 1)


def is_workday(day: date, overrides: dict[date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year not published yet: weekdays count until the office adds the holidays
        return day.weekday() < 5


def overrides_between(first: date, last: date) -> dict[date, bool]:
    """The office's entries from ``first`` to ``last`` (both included), ready for ``is_workday``."""
    rows = db.session.execute(
        select(CalendarDay.day, CalendarDay.is_workday).where(CalendarDay.day >= first, CalendarDay.day <= last))
    return dict(rows.tuples().all())


def workdays_after(start: date, n: int) -> list[date]:
    """The first ``n`` working days after ``start`` (``start`` itself never counts)."""
    if n < 0:
        raise ValueError("n must not be negative")
    found: list[date] = []
    overrides: dict[date, bool] = {}
    day = loaded_until = start
    while len(found) < n:
        day += ONE_DAY
        if day > loaded_until:
            # Enough for n working days around the longest holiday; more is read only if the office has
            # entered an unusually long run of days off.
            loaded_until = day + timedelta(days=2 * n + 30)
            overrides |= overrides_between(day, loaded_until)
        if is_workday(day, overrides):
            found.append(day)
    return found


def add_workdays(start: date, n: int) -> date:
    """The date ``n`` working days after ``start``; ``start`` itself for ``n == 0``."""
    days = workdays_after(start, n)
    return days[-1] if days else start


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    overrides = overrides_between(start + ONE_DAY, end)
    return sum(is_workday(start + timedelta(days=i), overrides) for i in range(1, (end - start).days + 1))


def needs_attention(today: date) -> list[int]:
    """Years starting within the look-ahead that neither the package nor any entry of the office covers."""
    unknown = [year for year in range(today.year, (today + LOOKAHEAD).year + 1) if year not in known_years()]
    if not unknown:
        return []
    entered = db.session.scalars(
        select(CalendarDay.day).where(CalendarDay.day >= date(unknown[0], 1, 1),
                                      CalendarDay.day <= date(unknown[-1], 12, 31)))
    covered = {day.year for day in entered}
    return [year for year in unknown if year not in covered]


def calendar_days() -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day)))


def _kind(is_workday: bool) -> str:
    return "workday" if is_workday else "day_off"


def _require_coordinator(actor) -> None:
    require(actor.is_coordinator, _("Only the coordinating office keeps the working-day calendar."))


def set_day(day: date, is_workday: bool, note: str, actor) -> CalendarDay:
    """Enter or change the office's entry for ``day``; there is at most one entry per date."""
    _require_coordinator(actor)
    note = (note or "").strip()
    require(len(note) <= NOTE_LENGTH, _("Please keep the note under %(max)d characters.", max=NOTE_LENGTH),
            DomainError)
    entry = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    before = None if entry is None else _kind(entry.is_workday)
    if entry is None:
        entry = CalendarDay(day=day)
        db.session.add(entry)
    entry.is_workday, entry.note, entry.added_by_id = is_workday, note, actor.id
    record("calendar_day_set", entry, actor=actor, from_state=before, to_state=_kind(is_workday),
           day=day.isoformat(), note=note)
    return entry


def remove_day(day_id: int, actor) -> None:
    """Drop the office's entry, so the package decides the date again. A second click finds nothing to do."""
    _require_coordinator(actor)
    entry = db.session.get(CalendarDay, day_id)
    if entry is not None:
        record("calendar_day_removed", entry, actor=actor, from_state=_kind(entry.is_workday),
               day=entry.day.isoformat(), note=entry.note)
        db.session.delete(entry)
