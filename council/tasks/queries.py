"""Reading tasks: the unit desk's inbox in order of urgency, and the routing queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Date, and_, bindparam, case, func, not_, or_, select, true
from sqlalchemy.orm import selectinload

from council.accounts.models import Account, MembershipRole
from council.calendar.operations import add_workdays, completed_years_reaching
from council.councils.models import Council, Tier
from council.db import count_where
from council.extensions import db
from council.i18n import english_requested, in_language
from council.loading import prepared, written
from council.paging import Paged, page_of
from council.proposals.models import Proposal, ProposalState
from council.tasks.models import OPEN_STATES, Rating, RatingValue, Task, TaskRole, TaskState
from council.tasks.operations import deadline_estimated, needs_routing_clause, tasks_of
from council.units.models import Unit

S = ProposalState
# "soon": open, not overdue, owed within REMIND_BEFORE_WORKDAYS working days (the reminders' look-ahead);
# "back": open again after coming back to the unit (the children reopened the idea, or the office gave a task it
# had sent back to it again).
FILTERS = ("open", "soon", "overdue", "back", "replied", "returned", "all")
WAITING = ("soon", "overdue", "back")  # what the desk's head counts, each linking to its filter


def urgency(task: Task, today: date) -> tuple:
    """Very overdue first, then overdue, then by the date the unit owes something next."""
    # ``Task.owed_on`` read off a task or a desk row alike (the desk's rows are not Task objects)
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


def _desk_states(show: str) -> tuple[TaskState, ...] | None:
    """The states of the tasks the filter ``show`` can list; None: every state."""
    if show == "replied":
        return (TaskState.replied,)
    if show == "returned":
        return (TaskState.returned, TaskState.withdrawn)
    return None if show == "all" else tuple(OPEN_STATES)


def _desk_filter(show: str):
    """Which of the units' tasks the filter ``show`` lists, as one condition (the units, the day and "soon"'s last
    day are parameters): the list, its count and the desk's head all read it, so a figure and the list it links
    to never disagree."""
    states = _desk_states(show)
    listed = true() if states is None else Task.state.in_(states)
    overdue = Task.is_overdue(bindparam("today", type_=Date))
    if show == "overdue":
        return and_(listed, overdue)
    if show == "soon":
        return and_(listed, not_(overdue), Task.owed_on <= bindparam("soon", type_=Date))
    if show == "back":
        return and_(listed, or_(Task.round > 1, Task.returned_at.is_not(None)))
    return listed


def _units_tasks():
    return Task.unit_id.in_(bindparam("units", expanding=True))


def _desk_statement(show: str, paged: bool):
    """The desk's statement for one filter; the units, the day and the page are its parameters. A page is ordered
    and cut from the tasks alone, and only its rows are joined to their ideas and units (joining every open task's
    idea first, then sorting, read 139 ideas for a page of 30 on the bench's education bureau)."""
    query = select(Task.id).where(_units_tasks(), _desk_filter(show))
    if not paged:
        return query.with_only_columns(func.count(Task.id))
    today = bindparam("today", type_=Date)
    order = (case((Task.is_very_overdue(today), 0), else_=1).label("very"),
             case((Task.is_overdue(today), 0), else_=1).label("overdue"),
             case((Task.state.in_(OPEN_STATES), 0), else_=1).label("closed"), Task.owed_on.label("owed"))
    page = (query.add_columns(*order).order_by(*order, Task.id)
            .offset(written("offset", big=True)).limit(written("limit")).subquery("desk_page"))
    return (select(Task.id, Proposal.title.label("title"), Task.state, Task.role, Task.acknowledge_due,
                   Task.reply_due, Task.very_overdue_on, Task.dispatched_at, Unit.name.label("unit"),
                   Unit.name_en.label("unit_en"))
            .join(page, page.c.id == Task.id)
            .join(Proposal, Proposal.id == Task.proposal_id).join(Unit, Unit.id == Task.unit_id)
            .order_by(page.c.very, page.c.overdue, page.c.closed, page.c.owed, Task.id))


def desk(units, show: str, today: date, *, page: int = 1, per_page: int | None = None,
         total: int | None = None) -> tuple[list[DeskRow], int]:
    """One page of a unit's tasks, most urgent first (the order of ``urgency``, computed by the database so a unit
    with hundreds of open tasks reads only the page it shows), and how many there are in all (``total``: as
    ``desk_waiting`` counted it for the same filter, which saves the count). Two statements, each kept per filter
    (``loading.prepared``)."""
    values = _desk_values(units, show, today)
    if total is None:
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


def _desk_values(units, show: str, today: date) -> dict:
    values = {"units": [u.id for u in units], "today": today}
    if show == "soon":  # the working days counted on the calendar, never by hand
        values["soon"] = add_workdays(today, current_app.config["REMIND_BEFORE_WORKDAYS"])
    return values


def desk_waiting(units, today: date, also: str | None = None) -> dict[str, int]:
    """What waits at a unit's desk: for each filter of ``WAITING`` (and the filter ``also``, the one the desk
    shows), the number of tasks that filter lists (its very condition, ``_desk_filter``, so a figure and the list
    it links to never disagree), all counted in one pass over the units' tasks."""
    shows = WAITING if also is None or also in WAITING else (*WAITING, also)
    counts = db.session.execute(prepared(("desk-waiting", shows), lambda: _waiting_statement(shows)),
                                _desk_values(units, "soon", today)).one()  # "soon"'s values hold every value read
    return {show: getattr(counts, show) for show in shows}


def _waiting_statement(shows: tuple[str, ...]):
    """The counts of ``shows`` in one pass over the units' tasks in the states any of them lists (the state is in
    the units' index, so the pass reads the open tasks alone when only open ones are counted)."""
    query = select(*(count_where(_desk_filter(show)).label(show) for show in shows)).where(_units_tasks())
    listed = [_desk_states(show) for show in shows]
    if None not in listed:
        query = query.where(Task.state.in_(list(dict.fromkeys(state for states in listed for state in states))))
    return query


def _routing_statement(actor: Account):
    query = select(Proposal).where(needs_routing_clause())
    if not actor.is_coordinator:
        held = actor.councils_as(MembershipRole.facilitator)
        if not held:
            return None
        query = query.join(Council, Council.id == Proposal.current_council_id).where(
            Council.tier != Tier.district, or_(*(Council.path.startswith(c.path) for c in held)))
    return query


def routing_queue(actor: Account, page: int = 1) -> Paged:
    """A page of the adopted or reopened ideas, and routed ones whose lead unit sent them back, oldest first."""
    query = _routing_statement(actor)
    return page_of(None if query is None else query.order_by(Proposal.id), page,
                   options=[selectinload(Proposal.current_council), selectinload(Proposal.plan_task)])


def routing_count(actor: Account) -> int:
    """How many ideas ``routing_queue`` lists, counted by the database."""
    query = _routing_statement(actor)
    return 0 if query is None else db.session.scalar(select(func.count()).select_from(query.subquery()))


def _extensions_statement():
    from council.tasks.models import ExtensionState

    return select(Task).where(Task.extension_state == ExtensionState.requested)


def waiting_extensions(page: int = 1) -> Paged:
    """A page of the units' requests for more time that wait for the office, oldest first."""
    return page_of(_extensions_statement().order_by(Task.id), page,
                   options=[selectinload(Task.proposal), selectinload(Task.unit)])


def extensions_count() -> int:
    return db.session.scalar(select(func.count()).select_from(_extensions_statement().subquery()))


def overdue_by_unit(today: date) -> list[tuple[Unit, int]]:
    """Units with open tasks overdue on ``today`` (``Task.is_overdue``) and how many, the most first; one statement."""
    rows = db.session.execute(select(Unit, func.count(Task.id)).join(Task, Task.unit_id == Unit.id)
                              .where(Task.is_overdue(today)).group_by(Unit.id)
                              .order_by(func.count(Task.id).desc(), Unit.id)).all()
    return [(unit, count) for unit, count in rows]


def overdue_tasks(unit: Unit, today: date) -> list[Task]:
    """The tasks ``overdue_by_unit`` counts for ``unit``, the oldest due date first."""
    return list(db.session.scalars(select(Task).where(Task.unit_id == unit.id, Task.is_overdue(today))
                                   .order_by(Task.owed_on, Task.id)))


# --- what the unit reads beside its task: what the child meant ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class RatingShown:
    """A child's verdict on an answer as the unit and the office read it: the nickname, never a name."""

    nickname: str
    value: RatingValue
    comment: str
    by_author: bool

    @property
    def reopened(self) -> bool:
        """An author's 不满意: what sent the idea back to the units (``operations.rate``)."""
        return self.by_author and self.value is RatingValue.not_satisfied


@dataclass(frozen=True)
class EarlierRound:
    number: int
    answers: list[Task]  # the units' replies of that round
    ratings: list[RatingShown]  # the authors' 不满意 first


@dataclass(frozen=True)
class TaskContext:
    edits: list  # (the edit, the words changed inline) for each facilitator's change the idea keeps
    pictures: list  # the idea's pictures, when the reader may open them (the file route's rule)
    pictures_hidden: bool  # it has pictures the reader may not open now (hidden after reports)
    transcriptions: list[str]  # voice notes an adult wrote down
    votes: list  # the council's decided agenda items on the idea, with their tallies
    earlier: list[EarlierRound]  # the rounds before this task's, oldest first
    exchanges: list  # the unit's returns of this task and the office's notes when it sent it again (events)


def ratings_of(proposal: Proposal, round_: int) -> list[RatingShown]:
    """The children's ratings of one round's answer, the authors' 不满意 first, each with its nickname only."""
    rows = db.session.execute(select(Rating, Account.display_name).join(Account, Account.id == Rating.account_id)
                              .where(Rating.proposal_id == proposal.id, Rating.round == round_).order_by(Rating.id))
    shown = [RatingShown(nickname=name, value=rating.value, comment=rating.comment, by_author=rating.by_author)
             for rating, name in rows]
    return sorted(shown, key=lambda r: not r.reopened)


def _reopening_round(proposal: Proposal) -> int:
    """The round whose answer the children rated 不满意 to reopen the idea (0: none, in its first round)."""
    return proposal.route_round if proposal.state is S.reopened else proposal.route_round - 1


def reopenings(proposals: list[Proposal]) -> dict[int, list[RatingShown]]:
    """Why the children sent each reopened idea back: its authors' 不满意 ratings of the answer before (the comment
    first), for routing it again; empty for an idea in its first round. One statement for all the ideas."""
    rounds = {p.id: _reopening_round(p) for p in proposals}
    found: dict[int, list[RatingShown]] = {p.id: [] for p in proposals}
    wanted = [pid for pid, round_ in rounds.items() if round_ >= 1]
    if wanted:
        rows = db.session.execute(
            select(Rating, Account.display_name).join(Account, Account.id == Rating.account_id)
            .where(Rating.proposal_id.in_(wanted), Rating.by_author.is_(True),
                   Rating.value == RatingValue.not_satisfied).order_by(Rating.id))
        for rating, name in rows:
            if rating.round == rounds[rating.proposal_id]:
                found[rating.proposal_id].append(RatingShown(nickname=name, value=rating.value,
                                                             comment=rating.comment, by_author=True))
    return found


def reopening(proposal: Proposal) -> list[RatingShown]:
    return reopenings([proposal])[proposal.id]


def returned_now(proposals: list[Proposal]) -> dict[int, list[Task]]:
    """Each routed idea's tasks of this round that a unit sent back, with its reason, while the idea waits for the
    office; one statement for all the ideas."""
    routed = {p.id: p.route_round for p in proposals if p.state is S.routed}
    found: dict[int, list[Task]] = {p.id: [] for p in proposals}
    if routed:
        for task in db.session.scalars(select(Task).where(Task.proposal_id.in_(routed),
                                                          Task.state == TaskState.returned)
                                       .options(selectinload(Task.unit)).order_by(Task.round, Task.id)):
            if task.round == routed[task.proposal_id]:
                found[task.proposal_id].append(task)
    for tasks in found.values():
        tasks.sort(key=lambda t: (t.role is not TaskRole.lead, t.id))
    return found


def task_context(task: Task, reader: Account) -> TaskContext:
    """What the child meant, for the unit's task page: the facilitator's changes beside the child's own words (the
    idea keeps both, ``ProposalEdit``), the pictures, the council's votes, and in a later round the answers before
    with the children's ratings."""
    from council.audit.models import Event
    from council.proposals.diff import inline_diff
    from council.proposals.models import EditStatus
    from council.proposals.operations import can_view
    from council.sessions.models import AgendaItem, ItemStatus

    proposal = task.proposal
    edits = [(e, inline_diff(e.original, e.edited)) for e in proposal.edits
             if e.status in (EditStatus.applied, EditStatus.accepted)]
    may_open = can_view(proposal, reader)  # pictures go through /files/<key>, which asks the same
    votes = list(db.session.scalars(select(AgendaItem).where(AgendaItem.proposal_id == proposal.id,
                                                             AgendaItem.status == ItemStatus.decided)
                                    .order_by(AgendaItem.id)))
    earlier = []
    for number in range(1, task.round):
        answers = [t for t in tasks_of(proposal, number) if t.state is TaskState.replied]
        earlier.append(EarlierRound(number, answers, ratings_of(proposal, number)))
    exchanges = [e for e in db.session.scalars(select(Event).where(
        Event.subject_type == "proposals", Event.subject_id == proposal.id,
        Event.action.in_(["task_returned", "task_redispatched"])).order_by(Event.id))
        if (e.data or {}).get("task") == task.id]
    return TaskContext(edits=edits, pictures=proposal.images if may_open else [],
                       pictures_hidden=bool(proposal.images) and not may_open,
                       transcriptions=[a.transcription for a in proposal.voices if a.transcription],
                       votes=votes, earlier=earlier, exchanges=exchanges)
