"""Reading tasks: the unit desk's inbox in order of urgency, and the routing queue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

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


def desk(units, show: str, today: date) -> list[Task]:
    query = (select(Task).where(Task.unit_id.in_([u.id for u in units]))
             .options(selectinload(Task.proposal), selectinload(Task.unit)))
    if show in ("open", "overdue"):
        query = query.where(Task.state.in_(OPEN_STATES))
    elif show == "replied":
        query = query.where(Task.state == TaskState.replied)
    elif show == "returned":
        query = query.where(Task.state.in_([TaskState.returned, TaskState.withdrawn]))
    tasks = list(db.session.scalars(query))
    if show == "overdue":
        tasks = [t for t in tasks if t.is_overdue(today)]
    return sorted(tasks, key=lambda t: urgency(t, today))


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
