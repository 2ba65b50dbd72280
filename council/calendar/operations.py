"""Working days on the official Chinese calendar (DESIGN §6): weekends, public holidays and the make-up working
days (调休), from the chinesecalendar package, corrected and extended by the coordinating office's own entries."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from chinese_calendar.constants import holidays
from flask_babel import gettext as _
from sqlalchemy import select

from council.audit.operations import record
from council.calendar.models import CalendarDay, CalendarYear, DayKind
from council.errors import DomainError, require
from council.extensions import db

ONE_DAY = timedelta(days=1)
# The State Council publishes next year's holidays late in the year; warn this far ahead.
# A task dispatched today may be due up to 40 working days (about two months) later: look that far, and more.
LOOKAHEAD = timedelta(days=120)
NOTE_LENGTH = 120
MAX_YEAR = 2100
# Days off every year by law (全国年节及纪念日放假办法), whatever the State Council's notice adds around them:
# New Year's Day, Labour Day and the first three days of National Day.
FIXED_DAYS_OFF = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


@cache
def known_years() -> range:
    """The years the installed package has the State Council's notice for; it refuses any other year."""
    years = {day.year for day in holidays}
    return range(min(years), max(years) + 1)


def is_workday(day: date, overrides: dict[date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    if day.year not in known_years():
        return estimated_workday(day)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # the package's own bounds, should they ever differ from known_years()
        return estimated_workday(day)


def estimated_workday(day: date) -> bool:
    """The one rule for a date of a year the package does not know and the office has not entered: weekends are
    days off, so are the fixed public holidays (1 January, 1 May, 1–3 October); other weekdays count. Deadlines
    counted on it are estimates (``is_estimated``) until the office marks the year complete."""
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_DAYS_OFF


def completed_years() -> set[int]:
    """The years past the package's last one that the office has marked complete."""
    return set(db.session.scalars(select(CalendarYear.year)))


def completed_years_reaching(last: date | None) -> set[int]:
    """``completed_years`` for checking dates up to ``last``; no query when they all lie in the package's years."""
    if last is None or last.year < known_years().stop:
        return set()
    return completed_years()


def is_settled(year: int, completed: Collection[int] | None = None) -> bool:
    """A year whose working days are known: the package's, or marked complete by the office."""
    if year in known_years():
        return True
    return year in (completed_years() if completed is None else completed)


def is_estimated(start: date, end: date, completed: Collection[int] | None = None) -> bool:
    """Whether the date ``end``, counted in working days after ``start``, is only an estimate: the count crossed a
    day of a year that neither the package knows nor the office has marked complete. The one rule every deadline
    shown is marked by; ``completed`` (from ``completed_years``) saves a query when many dates are checked."""
    if end <= start:
        return False
    unknown = [year for year in range((start + ONE_DAY).year, end.year + 1) if year not in known_years()]
    if not unknown:
        return False
    if completed is None:
        completed = completed_years()
    return any(year not in completed for year in unknown)


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
    """Years starting within the look-ahead that neither the package knows nor the office has marked complete.
    A few entries do not make a year known: only the office can say it has entered all of its holidays."""
    unknown = [year for year in range(today.year, (today + LOOKAHEAD).year + 1) if year not in known_years()]
    if not unknown:
        return []
    completed = completed_years()
    return [year for year in unknown if year not in completed]


def open_years(today: date) -> list[tuple[int, CalendarYear | None]]:
    """The years past the package's last one the calendar page offers to mark complete, with their mark: those
    within the look-ahead, those the office has entered dates in, and those already marked."""
    completed = {row.year: row for row in db.session.scalars(select(CalendarYear))}
    first = known_years().stop
    entered = db.session.scalars(select(CalendarDay.day).where(CalendarDay.day >= date(first, 1, 1)))
    years = {year for year in range(today.year, (today + LOOKAHEAD).year + 1) if year >= first}
    years |= {day.year for day in entered} | set(completed)
    return [(year, completed.get(year)) for year in sorted(years)]


def calendar_days() -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day)))


def _kind(is_workday: bool) -> DayKind:
    return DayKind.workday if is_workday else DayKind.day_off


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
    entry.recounted = _recount_if_unsettled(day, actor)  # the tasks counted again, for the page to say so
    return entry


def remove_day(day_id: int, actor) -> None:
    """Drop the office's entry, so the package decides the date again. A second click finds nothing to do."""
    _require_coordinator(actor)
    entry = db.session.get(CalendarDay, day_id)
    if entry is not None:
        record("calendar_day_removed", entry, actor=actor, from_state=_kind(entry.is_workday),
               day=entry.day.isoformat(), note=entry.note)
        db.session.delete(entry)
        _recount_if_unsettled(entry.day, actor)


def _recount_if_unsettled(day: date, actor) -> list:
    """A date of a year not settled yet changes the estimate: the open tasks' estimated deadlines are counted
    again. In a settled year deadlines stay as they were fixed at dispatch, as always."""
    completed = completed_years()
    if is_settled(day.year, completed):
        return []
    from council.tasks.operations import recount_estimated_deadlines  # tasks count on this module

    return recount_estimated_deadlines(actor, completed_before=completed)


def mark_year_complete(year: int, actor) -> list:
    """The office has entered all of ``year``'s holidays and make-up working days: deadlines counted across it are
    no longer estimates. The open tasks' estimated deadlines are counted again from their dispatch on the now
    known calendar; returns those tasks. Marking a year twice does nothing."""
    _require_coordinator(actor)
    require(year not in known_years(), _("The calendar package already knows %(year)s.", year=year), DomainError)
    require(year <= MAX_YEAR, _("Choose a year up to %(year)s.", year=MAX_YEAR), DomainError)
    completed = completed_years()
    if year in completed:
        return []
    db.session.add(CalendarYear(year=year, completed_by_id=actor.id))
    record("calendar_year_completed", actor=actor, subject_type="calendar_years", year=year)
    from council.tasks.operations import recount_estimated_deadlines

    return recount_estimated_deadlines(actor, completed_before=completed)
