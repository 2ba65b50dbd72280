"""Reading tasks: the unit desk's inbox in order of urgency, and the routing queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, Date, Integer, bindparam, case, func, or_, select

from council.accounts.models import Account, MembershipRole
from council.calendar.operations import completed_years_reaching
from council.councils.models import Council, Tier
from council.extensions import db
from council.i18n import english_requested, in_language
from council.loading import prepared
from council.proposals.models import Proposal, ProposalState
from council.tasks.models import OPEN_STATES, Task, TaskRole, TaskState
from council.tasks.operations import deadline_estimated, needs_routing
from council.units.models import Unit

S = ProposalState
FILTERS = ("open", "overdue", "replied", "returned", "all")


def urgency(task: Task, today: date) -> tuple:
    """Very overdue first, then overdue, then by the date the unit owes something next."""
    owed = task.acknowledge_due if task.state is TaskState.dispatched else task.reply_due
    return (not task.is_very_overdue(today), not task.is_overdue(today), task.state not in OPEN_STATES, owed)


@dataclass(frozen=True, slots=True)
class DeskRow:
    """A task as the desk lists it: plain values, the whole page read in one statement, no objects built.
    Overdue is decided by the same rule as a task's (``Task.is_overdue``)."""

    id: int
    title: str  # the idea's
    state: TaskState
    role: TaskRole
    acknowledge_due: date
    reply_due: date
    very_overdue_on: date
    unit: str  # the unit's name in the reader's language
    acknowledge_estimated: bool = False  # the dates counted across a year not known yet (deadline_estimated)
    reply_estimated: bool = False

    # The task's own rule (the hybrid's Python side), read on these plain values.
    is_overdue = Task.__dict__["is_overdue"].func
    is_very_overdue = Task.__dict__["is_very_overdue"].func


def _desk_statement(show: str, paged: bool):
    """The desk's statement for one filter; the units, the day and the page are its parameters."""
    today = bindparam("today", type_=Date)
    query = select(Task.id).where(Task.unit_id.in_(bindparam("units", expanding=True)))
    if show in ("open", "overdue"):
        query = query.where(Task.state.in_(OPEN_STATES))
    elif show == "replied":
        query = query.where(Task.state == TaskState.replied)
    elif show == "returned":
        query = query.where(Task.state.in_([TaskState.returned, TaskState.withdrawn]))
    open_now = Task.state.in_(OPEN_STATES)
    very, overdue = Task.is_very_overdue(today), Task.is_overdue(today)
    if show == "overdue":
        query = query.where(overdue)
    if not paged:
        return query.with_only_columns(func.count(Task.id))
    query = (query.add_columns(Proposal.title.label("title"), Task.state, Task.role, Task.acknowledge_due,
                               Task.reply_due, Task.very_overdue_on, Task.dispatched_at, Unit.name.label("unit"),
                               Unit.name_en.label("unit_en"))
             .join(Proposal, Proposal.id == Task.proposal_id).join(Unit, Unit.id == Task.unit_id))
    owed = case((Task.state == TaskState.dispatched, Task.acknowledge_due), else_=Task.reply_due)
    return (query.order_by(case((very, 0), else_=1), case((overdue, 0), else_=1), case((open_now, 0), else_=1),
                           owed, Task.id)
            .offset(bindparam("offset", type_=BigInteger)).limit(bindparam("limit", type_=Integer)))


def desk(units, show: str, today: date, *, page: int = 1, per_page: int | None = None) -> tuple[list[DeskRow], int]:
    """One page of a unit's tasks, most urgent first (the order of ``urgency``, computed by the database so a unit
    with hundreds of open tasks reads only the page it shows), and how many there are in all. Two statements,
    each kept per filter (``loading.prepared``)."""
    values = {"units": [u.id for u in units], "today": today}
    total = db.session.scalar(prepared(("desk-count", show), lambda: _desk_statement(show, paged=False)), values)
    values |= {"offset": (max(page, 1) - 1) * per_page if per_page else 0, "limit": per_page or max(total, 1)}
    english = english_requested()
    rows = db.session.execute(prepared(("desk", show), lambda: _desk_statement(show, paged=True)), values)
    rows = rows.all()
    completed = completed_years_reaching(max((max(r.acknowledge_due, r.reply_due) for r in rows), default=None))
    return [DeskRow(id=row.id, title=row.title, state=row.state, role=row.role, acknowledge_due=row.acknowledge_due,
                    reply_due=row.reply_due, very_overdue_on=row.very_overdue_on,
                    unit=in_language(row.unit, row.unit_en, english),
                    acknowledge_estimated=deadline_estimated(row, "acknowledge_due", completed),
                    reply_estimated=deadline_estimated(row, "reply_due", completed)) for row in rows], total


def routing_queue(actor: Account) -> list[Proposal]:
    """Adopted or reopened ideas, and routed ones whose lead unit sent them back."""
    query = select(Proposal).where(Proposal.state.in_([S.adopted, S.reopened, S.routed]))
    if not actor.is_coordinator:
        held = actor.councils_as(MembershipRole.facilitator)
        if not held:
            return []
        query = query.join(Council, Council.id == Proposal.current_council_id).where(
            Council.tier != Tier.district, or_(*(Council.path.startswith(c.path) for c in held)))
    return [p for p in db.session.scalars(query.order_by(Proposal.id)) if needs_routing(p)]


def waiting_extensions() -> list[Task]:
    from council.tasks.models import ExtensionState

    return list(db.session.scalars(select(Task).where(Task.extension_state == ExtensionState.requested)
                                   .order_by(Task.id)))
