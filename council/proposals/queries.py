"""Reading ideas: the public list with its filters, search and sort; queues; a person's own ideas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import Integer, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from council.accounts.models import Account, MembershipRole
from council.audit.models import Event
from council.caching import kept
from council.councils.models import Council, Tier
from council.extensions import db
from council.loading import prepared, rows, written
from council.paging import Paged, page_of
from council.plan.models import PlanAction, PlanArea, PlanTask
from council.plan.queries import current_plan_id, lineage
from council.proposals import cards, search
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

    def shape(self, *, common: bool = False, counting: bool = False) -> tuple[tuple, dict]:
        """The list's statement as a shape (which filters are set, the search's words, the plan, the order) and
        the values for it. ``common``: the search words are known to match many ideas; ``counting``: the
        statement only counts (see ``search.matching`` for the plans). Lists keep one statement per shape
        (``loading.prepared``) and execute it with the values."""
        values: dict = {}
        if self.state:
            values["state"] = self.state
        if self.council:
            council = db.session.get(Council, self.council)
            if council is not None:  # an unknown council is ignored, as every malformed filter
                values["council_path"] = council.path
        if self.tier:
            values["tier"] = self.tier
        if self.task:
            values["task"] = self.task
        elif self.area:
            values["area"] = self.area
        filters = tuple(sorted(values))
        words, word_values = search.shape(self.q) if self.q else ((), {})
        plan = ("count" if counting else "walk" if common else "index") if words else None
        return (filters, words, plan, self.sort), values | word_values

    def query(self, *, common: bool = False, counting: bool = False):
        """The list as one ``select(Proposal)`` with its values in it (for counts and exports)."""
        shape, values = self.shape(common=common, counting=counting)
        return statement(shape).params(values)

    def args(self, **override) -> dict:
        values = {"q": self.q, "tier": self.tier.value if self.tier else None, "council": self.council,
                  "area": self.area, "task": self.task, "state": self.state.value if self.state else None,
                  "sort": self.sort} | override
        return {k: v for k, v in values.items() if v not in (None, "")}


def statement(shape: tuple):
    """The list's ``select(Proposal)`` for a shape of ``Filters.shape``, with its values as parameters."""
    filters, words, plan, sort = shape
    query = select(Proposal).where(Proposal.is_public)  # public states, not hidden by flags
    if "state" in filters:
        query = query.where(Proposal.state == bindparam("state"))
    if "council_path" in filters:  # a council's list includes the councils below it
        query = query.where(Proposal.current_council_id.in_(
            select(Council.id).where(Council.path.startswith(bindparam("council_path")))))
    if "tier" in filters:
        query = query.join(Council, Council.id == Proposal.current_council_id).where(
            Council.tier == bindparam("tier"))
    if "task" in filters or "area" in filters:
        # the current plan's task (or area) by its number, with the earlier tasks that continue in it
        walk = lineage()
        tasks = select(PlanTask.id).where(PlanTask.plan_id == current_plan_id())
        tasks = tasks.where(PlanTask.no == bindparam("task")) if "task" in filters else \
            tasks.join(PlanAction).join(PlanArea).where(PlanArea.no == bindparam("area"))
        query = query.where(Proposal.plan_task_id.in_(select(walk.c.task_id).where(walk.c.current_id.in_(tasks))))
    if words:
        query = search.matching(query, words, plan)
    if sort == "newest":
        # Every public idea has its date; saying so lets PostgreSQL, which sorts NULLs first when descending,
        # start its index scan at the newest published idea instead of walking past every draft.
        query = query.where(Proposal.published_at.is_not(None))
    return query.order_by(*SORTS[sort])


# Above this many hits a search reads the list in order and checks each idea (search.matching).
COMMON_HITS = 500
# The columns each order reads, for the keyset cursor of "next page" links.
CURSOR_COLUMNS = {"newest": Proposal.published_at, "supported": Proposal.support_count}


@dataclass
class Page:
    """One page of the public list. ``after`` is the cursor of its last idea: the next page starts there with an
    index seek instead of skipping every idea before it, however deep the reader goes."""

    items: list[cards.Card]
    page: int
    per_page: int
    total: int
    after: str | None = None

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages and len(self.items) == self.per_page

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def with_authors(query):
    """What an idea card shows, loaded for a whole page at once: council and plan task joined in, the named and
    the erased authors in one query each (council/privacy adds ``anonymous_author_links``)."""
    return query.options(
        joinedload(Proposal.current_council), joinedload(Proposal.plan_task).lazyload(PlanTask.lead_units),
        selectinload(Proposal.author_links).joinedload(ProposalAuthor.account),
        selectinload(Proposal.anonymous_author_links))


def _cursor(value, proposal_id: int) -> str:
    return f"{value.isoformat() if isinstance(value, datetime) else value}~{proposal_id}"


def _after(sort: str, cursor: str | None) -> dict | None:
    """The values of ``cursor`` (the last idea of the page before), or None when it does not parse: the list then
    starts at the first page."""
    if not cursor or "~" not in cursor:
        return None
    value, _sep, last_id = cursor.rpartition("~")
    try:
        key = datetime.fromisoformat(value) if sort == "newest" else int(value)
        last_id = int(last_id)
    except ValueError:
        return None
    if isinstance(key, datetime) and key.tzinfo is None:
        key = key.replace(tzinfo=UTC)  # the cursors we write carry their zone; a hand-made one is read as UTC
    return {"after_key": key, "after_id": last_id}


def count(filters: Filters) -> int:
    """How many ideas the filters find, refreshed ahead every CACHE_DEFAULT_TIMEOUT seconds (council/caching.py):
    counting a hundred thousand ideas on every page view is what makes a list slow, and the total is only shown
    as a number."""
    def counted() -> int:
        shape, values = filters.shape(counting=True)
        query = prepared(("idea-count", shape),
                         lambda: statement(shape).with_only_columns(func.count()).order_by(None))
        return db.session.scalar(query, values)

    key = "ideas-count:" + "&".join(f"{k}={v}" for k, v in sorted(filters.args(sort=None).items()))
    return kept(key, counted, current_app.config["CACHE_DEFAULT_TIMEOUT"])


def read_cards(filters: Filters, total: int, *, offset: int, limit: int, after: dict | None = None,
               extra: tuple = ()) -> list[tuple[cards.Card, tuple]]:
    """``limit`` cards of the list from ``offset``, or after the cursor values ``after`` (an index seek, however
    deep), each with the ``extra`` columns. The statement is kept per shape of the filters and the ``extra`` columns
    (``loading.prepared``), so a page costs two executions and no building."""
    shape, values = filters.shape(common=total > COMMON_HITS)

    def build():
        query = statement(shape)
        if after is not None:
            column = CURSOR_COLUMNS[filters.sort]
            query = query.where(tuple_(column, Proposal.id) < tuple_(bindparam("after_key", type_=column.type),
                                                                     bindparam("after_id", type_=Integer)))
        else:
            query = query.offset(written("offset", big=True))
        return cards.statement(query.limit(written("limit")), extra)

    query = prepared((shape, tuple(str(column) for column in extra), after is not None), build)
    values |= (after if after is not None else {"offset": offset}) | {"limit": limit}
    return cards.of_rows(rows(query, values).all())


def public_page(filters: Filters, page: int = 1, after: str | None = None) -> Page:
    """One page of idea cards (council/proposals/cards.py): the total comes from the cache, the cards take two
    statements, however deep the page."""
    per_page = current_app.config["IDEAS_PER_PAGE"]
    page = max(page, 1)
    total = count(filters)
    column = CURSOR_COLUMNS[filters.sort]
    found = read_cards(filters, total, offset=(page - 1) * per_page, limit=per_page,
                       after=_after(filters.sort, after) if page > 1 else None,
                       extra=(column,))
    result = Page([card for card, _extra in found], page, per_page, total)
    if found:
        last, (value,) = found[-1]
        result.after = _cursor(value, last.id)
    return result


def open_drafts(account: Account) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).where(Proposal.created_by_id == account.id,
                               Proposal.state.in_([ProposalState.draft, ProposalState.returned]))
        .order_by(Proposal.updated_at.desc())))


def mine(account: Account) -> list[cards.Card]:
    """The ideas a person wrote or is named on, newest change first, as cards: two statements however many."""
    authored = select(ProposalAuthor.proposal_id).where(ProposalAuthor.account_id == account.id)
    return [card for card, _extra in cards.read(
        select(Proposal).where(or_(Proposal.created_by_id == account.id, Proposal.id.in_(authored)))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc()))]


def _waiting_statement(account: Account, again: bool):
    query = select(Proposal).where(Proposal.state == ProposalState.submitted)
    if again:  # sent again after a facilitator sent it back for changes (the event the timeline tells it by)
        query = query.where(select(Event.id).where(Event.subject_type == Proposal.__tablename__,
                                                   Event.subject_id == Proposal.id,
                                                   Event.action == "proposal_resubmitted").exists())
    if not account.is_coordinator:
        held = account.councils_as(MembershipRole.facilitator)
        if not held:
            return None
        query = query.join(Council, Council.id == Proposal.current_council_id).where(
            or_(*(Council.path.startswith(c.path) for c in held)))
    return query


def waiting_for(account: Account, page: int = 1, *, again: bool = False) -> Paged:
    """A page of the ideas to screen in the councils this facilitator reaches, oldest first (the office's queue
    runs to thousands at the district's scale); ``again``: only those sent again after changes."""
    query = _waiting_statement(account, again)
    return page_of(None if query is None else query.order_by(Proposal.submitted_at, Proposal.id), page,
                   options=[selectinload(Proposal.current_council)])


def waiting_count(account: Account, *, again: bool = False) -> int:
    """How many ideas ``waiting_for`` lists, counted by the database."""
    query = _waiting_statement(account, again)
    return 0 if query is None else db.session.scalar(select(func.count()).select_from(query.subquery()))
