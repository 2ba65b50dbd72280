"""Reading ideas: the public list with its filters, search and sort; queues; a person's own ideas."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from council.accounts.models import Account, MembershipRole
from council.councils.models import Council, Tier
from council.extensions import db
from council.plan.models import PlanAction, PlanTask
from council.proposals import search
from council.proposals.models import PUBLIC_STATES, Proposal, ProposalAuthor, ProposalState

SORTS = {"newest": (Proposal.published_at.desc(), Proposal.id.desc()),
         "supported": (Proposal.support_count.desc(), Proposal.id.desc())}

__all__ = ["PUBLIC_STATES", "Filters", "mine", "open_drafts", "public_page", "waiting_for"]


@dataclass
class Filters:
    q: str = ""
    tier: Tier | None = None
    council: int | None = None
    area: int | None = None
    task: int | None = None
    state: ProposalState | None = None
    sort: str = "newest"

    @classmethod
    def from_args(cls, args) -> Filters:
        """Unknown or malformed values are ignored rather than refused: a list always shows."""
        state = args.get("state")
        tier = args.get("tier")
        return cls(
            q=(args.get("q") or "").strip()[:50],
            tier=Tier(tier) if tier in Tier._value2member_map_ else None,
            council=args.get("council", type=int),
            area=args.get("area", type=int),
            task=args.get("task", type=int),
            state=ProposalState(state) if state in ProposalState._value2member_map_
            and ProposalState(state) in PUBLIC_STATES else None,
            sort=args.get("sort") if args.get("sort") in SORTS else "newest",
        )

    def query(self):
        query = select(Proposal).where(Proposal.is_public)  # public states, not hidden by flags
        if self.state:
            query = query.where(Proposal.state == self.state)
        if self.council:
            council = db.session.get(Council, self.council)
            if council is not None:  # a council's list includes the councils below it
                query = query.where(Proposal.current_council_id.in_(
                    select(Council.id).where(Council.path.startswith(council.path))))
        if self.tier:
            query = query.join(Council, Council.id == Proposal.current_council_id).where(Council.tier == self.tier)
        if self.task:
            query = query.where(Proposal.plan_task_id.in_(select(PlanTask.id).where(PlanTask.no == self.task)))
        elif self.area:
            query = query.where(Proposal.plan_task_id.in_(
                select(PlanTask.id).join(PlanAction).where(PlanAction.area.has(no=self.area))))
        if self.q:
            query = search.matching(query, self.q)
        return query.order_by(*SORTS[self.sort])

    def args(self, **override) -> dict:
        values = {"q": self.q, "tier": self.tier.value if self.tier else None, "council": self.council,
                  "area": self.area, "task": self.task, "state": self.state.value if self.state else None,
                  "sort": self.sort} | override
        return {k: v for k, v in values.items() if v not in (None, "")}


def public_page(filters: Filters, page: int = 1):
    query = filters.query().options(
        selectinload(Proposal.current_council), selectinload(Proposal.plan_task),
        selectinload(Proposal.author_links).selectinload(ProposalAuthor.account))
    return db.paginate(query, page=max(page, 1), per_page=current_app.config["IDEAS_PER_PAGE"], error_out=False)


def open_drafts(account: Account) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).where(Proposal.created_by_id == account.id,
                               Proposal.state.in_([ProposalState.draft, ProposalState.returned]))
        .order_by(Proposal.updated_at.desc())))


def mine(account: Account) -> list[Proposal]:
    authored = select(ProposalAuthor.proposal_id).where(ProposalAuthor.account_id == account.id)
    return list(db.session.scalars(
        select(Proposal).where(or_(Proposal.created_by_id == account.id, Proposal.id.in_(authored)))
        .order_by(Proposal.updated_at.desc())))


def waiting_for(account: Account) -> list[Proposal]:
    """Ideas to screen in the councils this facilitator reaches, oldest first."""
    query = select(Proposal).where(Proposal.state == ProposalState.submitted)
    if not account.is_coordinator:
        held = account.councils_as(MembershipRole.facilitator)
        if not held:
            return []
        query = query.join(Council, Council.id == Proposal.current_council_id).where(
            or_(*(Council.path.startswith(c.path) for c in held)))
    return list(db.session.scalars(query.order_by(Proposal.submitted_at)))
