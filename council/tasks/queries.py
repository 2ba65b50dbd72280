"""Reading tasks: the unit desk's inbox in order of urgency, and the routing queue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from council.accounts.models import Account, MembershipRole
from council.councils.models import Council, Tier
from council.extensions import db
from council.proposals.models import Proposal, ProposalState
from council.tasks.models import OPEN_STATES, Task, TaskState
from council.tasks.operations import needs_routing

S = ProposalState
FILTERS = ("open", "overdue", "replied", "returned", "all")


def urgency(task: Task, today: date) -> tuple:
    """Very overdue first, then overdue, then by the date the unit owes something next."""
    owed = task.acknowledge_due if task.state is TaskState.dispatched else task.reply_due
    return (not task.is_very_overdue(today), not task.is_overdue(today), task.state not in OPEN_STATES, owed)


def desk(units, show: str, today: date, *, page: int = 1, per_page: int | None = None) -> tuple[list[Task], int]:
    """One page of a unit's tasks, most urgent first (the order of ``urgency``, computed by the database so a unit
    with hundreds of open tasks reads only the page it shows), and how many there are in all."""
    query = select(Task).where(Task.unit_id.in_([u.id for u in units]))
    if show in ("open", "overdue"):
        query = query.where(Task.state.in_(OPEN_STATES))
    elif show == "replied":
        query = query.where(Task.state == TaskState.replied)
    elif show == "returned":
        query = query.where(Task.state.in_([TaskState.returned, TaskState.withdrawn]))
    open_now = Task.state.in_(OPEN_STATES)
    very = and_(open_now, Task.very_overdue_on < today)
    overdue = or_(and_(Task.state == TaskState.dispatched, Task.acknowledge_due < today),
                  and_(Task.state.in_([TaskState.acknowledged, TaskState.in_progress]), Task.reply_due < today))
    if show == "overdue":
        query = query.where(overdue)
    total = db.session.scalar(query.with_only_columns(func.count(Task.id)))
    owed = case((Task.state == TaskState.dispatched, Task.acknowledge_due), else_=Task.reply_due)
    query = query.order_by(case((very, 0), else_=1), case((overdue, 0), else_=1), case((open_now, 0), else_=1),
                           owed, Task.id)
    if per_page:
        query = query.offset((max(page, 1) - 1) * per_page).limit(per_page)
    tasks = list(db.session.scalars(query.options(joinedload(Task.proposal), joinedload(Task.unit))))
    return tasks, total


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
