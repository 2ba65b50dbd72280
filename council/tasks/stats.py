"""The supervision figures of each responsible unit (DESIGN §6). Pure reads: nothing here writes or commits.

How tasks are counted:

- A period is a cohort of tasks: those *dispatched* in it, by the Zhoucun date of dispatch. A task sent in
  March and answered in April counts in March, so the figures of a period only change as its own tasks move on.
- Tasks the coordinating office took back (withdrawn) are not counted anywhere: the mistake was the office's.
- A task the unit sent back (退单, returned) counts as dispatched and in ``returns``, never as acknowledged: the
  response rate asks what share of the tasks sent to a unit it took up in time, and a wrong return is a failure
  to respond. ``returns`` stands beside it so the office can judge the right returns itself; a task the office
  gave the unit again after its return (``operations.redispatch``) still counts its return there.
- On time means the flags frozen when the unit acknowledged or replied; a reply within an approved extension is
  on time, because the extension moved the due date. ``extensions`` counts the extensions granted.
- A child rates the answer to an idea as a whole, not one unit's part of it: every unit that replied to the idea
  in a round shares each rating given in that round.
- ``open_overdue`` and ``very_overdue`` count open tasks past their due dates on ``today``, by the same rules as
  the badges on the unit desk (``Task.is_overdue``, ``Task.is_very_overdue``).
- Under ``SUPERVISION_MIN_TASKS`` tasks in the period a unit gets no rates and no rank: with two tasks it would
  top or trail the list by chance.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from council.calendar import clock
from council.db import count_where
from council.extensions import db
from council.paging import Paged, page_of
from council.proposals.models import Proposal
from council.tasks.models import Grade, Rating, RatingValue, Task, TaskState
from council.units.models import Unit

T = TaskState
FIRST_YEAR = 2020  # before the platform; older years in a query string fall back to the current one


@dataclass
class UnitFigures:
    unit: Unit
    dispatched: int = 0
    acknowledged_on_time: int = 0
    replied: int = 0
    replied_on_time: int = 0
    resolved: int = 0  # grades A and B
    ratings: int = 0
    satisfied: int = 0
    partly: int = 0
    open_overdue: int = 0
    very_overdue: int = 0
    avg_workdays_to_reply: float | None = None
    returns: int = 0
    extensions: int = 0

    @property
    def ranked(self) -> bool:
        return self.dispatched >= current_app.config["SUPERVISION_MIN_TASKS"]

    def _rate(self, part: int, whole: int) -> float | None:
        return part / whole if self.ranked and whole else None

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.acknowledged_on_time, self.dispatched)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.replied_on_time, self.replied)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.ratings)


@dataclass(frozen=True)
class Period:
    """A calendar year, or one month of it."""

    year: int
    month: int | None = None

    @classmethod
    def from_args(cls, args: Mapping, today: date) -> Period:
        """``year`` and ``month`` from a query string; anything unusable means the current year, whole."""
        year, month = _number(args.get("year")), _number(args.get("month"))
        if year is None or not FIRST_YEAR <= year <= today.year + 1:
            year = today.year
        return cls(year, month if month is not None and 1 <= month <= 12 else None)

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        month = self.month or 12
        return date(self.year, month, monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _counted(start: date | None, end: date | None) -> list:
    """Conditions for the tasks of a period. The Zhoucun days are turned into UTC instants once, so the dispatch
    index does the work on every engine instead of a per-row time-zone conversion."""
    zone = clock.zone()
    conditions = [Task.state != T.withdrawn]
    if start is not None:
        conditions.append(Task.dispatched_at >= datetime.combine(start, time(), zone).astimezone(UTC))
    if end is not None:
        conditions.append(Task.dispatched_at < datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC))
    return conditions


def unit_figures(start: date | None, end: date | None, today: date, *, unit: Unit | None = None
                 ) -> list[UnitFigures]:
    """The figures of every unit with tasks dispatched from ``start`` to ``end`` (Zhoucun dates, both included;
    None leaves that side open), by unit name; ``unit``: of that unit only (its public page). Three queries,
    whatever the number of units."""
    period = _counted(start, end) + ([Task.unit_id == unit.id] if unit is not None else [])
    replied = Task.state == T.replied
    rows = db.session.execute(
        select(Task.unit_id,
               func.count(Task.id),
               count_where(Task.acknowledged_late.is_(False)),
               count_where(replied),
               count_where(and_(replied, Task.replied_late.is_(False))),
               count_where(and_(replied, Task.grade.in_([Grade.A, Grade.B]))),
               count_where(Task.is_overdue(today)),
               count_where(Task.is_very_overdue(today)),
               func.avg(Task.workdays_to_reply),
               count_where(Task.returned_at.is_not(None)),
               func.sum(Task.extensions))
        .where(*period).group_by(Task.unit_id)).all()
    if not rows:
        return []
    ratings = {row[0]: row[1:] for row in db.session.execute(
        select(Task.unit_id, func.count(Rating.id), count_where(Rating.value == RatingValue.satisfied),
               count_where(Rating.value == RatingValue.partly))
        .select_from(Task)
        .join(Rating, and_(Rating.proposal_id == Task.proposal_id, Rating.round == Task.round))
        .where(replied, *period).group_by(Task.unit_id))}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_([row[0] for row in rows])))}
    figures = []
    for unit_id, dispatched, ack, n_replied, on_time, resolved, late, very, average, returns, extensions in rows:
        n_ratings, satisfied, partly = ratings.get(unit_id, (0, 0, 0))
        figures.append(UnitFigures(
            unit=units[unit_id], dispatched=dispatched, acknowledged_on_time=ack, replied=n_replied,
            replied_on_time=on_time, resolved=resolved, ratings=n_ratings, satisfied=satisfied, partly=partly,
            open_overdue=late, very_overdue=very, returns=returns, extensions=extensions or 0,
            avg_workdays_to_reply=None if average is None else float(average)))
    return sorted(figures, key=_by_name)


def _by_name(figures: UnitFigures) -> tuple:
    return figures.unit.name, figures.unit.id or 0


def _or_lowest(rate: float | None) -> float:
    return -1.0 if rate is None else rate


def _rank_key(figures: UnitFigures) -> tuple[float, float]:
    return _or_lowest(figures.on_time_rate), _or_lowest(figures.response_rate)


def ranking(figures: list[UnitFigures]) -> list[UnitFigures]:
    """Ranked units by on-time rate, then response rate, best first (a ranked unit with no answer yet comes
    after every unit with one); then the units under the minimum. Ties and unranked units go by name."""
    ranked = sorted((f for f in figures if f.ranked), key=_by_name)
    ranked.sort(key=_rank_key, reverse=True)  # stable: equal rates keep the order by name
    return ranked + sorted((f for f in figures if not f.ranked), key=_by_name)


def places(ordered: list[UnitFigures]) -> dict[int, int]:
    """Unit id → place in a ``ranking``: 1, 2, 2, 4 … (units with the same two rates share a place)."""
    result: dict[int, int] = {}
    previous, place = None, 0
    for index, figures in enumerate(f for f in ordered if f.ranked):
        if _rank_key(figures) != previous:
            previous, place = _rank_key(figures), index + 1
        result[figures.unit.id] = place
    return result


def unit_tasks(unit: Unit, start: date | None, end: date | None) -> list[Task]:
    """The tasks behind a unit's figures, newest first."""
    return list(db.session.scalars(_unit_tasks(unit, start, end).options(selectinload(Task.proposal))))


def public_unit_tasks(unit: Unit, start: date | None, end: date | None, page: int) -> Paged:
    """A page of the tasks behind a unit's figures whose idea anyone may read, newest first (its public page)."""
    query = _unit_tasks(unit, start, end).join(Proposal, Proposal.id == Task.proposal_id).where(Proposal.is_public)
    return page_of(query, page, options=[selectinload(Task.proposal)])


def _unit_tasks(unit: Unit, start: date | None, end: date | None):
    return (select(Task).where(Task.unit_id == unit.id, *_counted(start, end))
            .order_by(Task.dispatched_at.desc(), Task.id.desc()))


def first_year(today: date) -> int:
    """The earliest year with a task, for the year filter."""
    first = db.session.scalar(select(func.min(Task.dispatched_at)))
    return min(clock.local_day(first).year, today.year) if first is not None else today.year
