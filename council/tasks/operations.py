"""Every rule of routing an adopted idea to units and of the units' answers (DESIGN §5 Task, §6).

Functions take ``now`` so that demo data and tests can place events in the past; views never pass it."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, not_, or_, select
from sqlalchemy.orm import joinedload

from council.accounts.models import Account, UnitStaff
from council.accounts.operations import coordinators
from council.audit.operations import record
from council.calendar import clock
from council.calendar.operations import add_workdays, completed_years, is_estimated, known_years, workdays_between
from council.claims import AlreadyChanged, claim, hold
from council.councils.models import Tier
from council.errors import DomainError, require
from council.extensions import db
from council.loading import preload, prepared
from council.notifications.operations import notify, tell_children
from council.plan.models import PlanTask
from council.plan.queries import current_task_of
from council.proposals.models import Proposal, ProposalState
from council.proposals.operations import IllegalTransition, move, supporters_of
from council.tasks.models import (
    OPEN_STATES,
    TASK_TRANSITIONS,
    ExtensionState,
    Grade,
    Rating,
    RatingValue,
    Task,
    TaskPhoto,
    TaskRole,
    TaskState,
    TaskUpdate,
)
from council.units.models import Unit

S, T = ProposalState, TaskState
NOTE_MAX = 2000  # characters of the office's note to the units, and of a reason or progress note on a task


def _log(task: Task, action: str, actor, *, from_state=None, to_state=None, reason=None, **data) -> None:
    """Task events hang on the idea, so its timeline tells the children what each unit did."""
    record(action, task.proposal, actor=actor, council=task.proposal.current_council, from_state=from_state,
           to_state=to_state, reason=reason, task=task.id, unit=task.unit.name, unit_en=task.unit.name_en, **data)


def _move(task: Task, to: TaskState, actor, action: str, *, also: dict | None = None, **kwargs) -> None:
    """A task's state change, claimed in the database with the columns that change with it (``also``) in the same
    statement (council/claims.py), and logged on its idea."""
    if to not in TASK_TRANSITIONS[task.state]:
        raise IllegalTransition(_("This task is “%(state)s” now, so it cannot become “%(to)s”.",
                                  state=task.state.label, to=to.label))
    before = task.state
    claim(task, Task.state, before, to, **(also or {}))
    _log(task, action, actor, from_state=before, to_state=to, **kwargs)


def unit_staff(unit: Unit) -> list[Account]:
    today = clock.today()
    return [s.account for s in db.session.scalars(select(UnitStaff).where(UnitStaff.unit_id == unit.id))
            if s.is_current(today) and s.account.is_active]


def _require_staff(task: Task, actor: Account) -> None:
    require(actor.is_authenticated and actor.serves_unit(task.unit),
            _("Only the staff of %(unit)s can do that.", unit=task.unit.display_name))


def photo_allowed(stored, actor: Account) -> bool | None:
    """For the one file route (/files/<key>): None when the file is not a unit's reply photo. A reply photo is part
    of the answer the children read on the idea's page: whoever may see the idea may see it (the public too, once
    the idea is public), and so may the unit's staff and the office that routed it."""
    from council.proposals.operations import can_view

    photo = db.session.scalar(select(TaskPhoto).where(TaskPhoto.file_id == stored.id))
    if photo is None:
        return None
    task = db.session.get(Task, photo.task_id)
    return bool(can_view(task.proposal, actor) or (actor.is_authenticated and actor.serves_unit(task.unit))
                or can_route(task.proposal, actor))


def _require_coordinator(proposal: Proposal, actor: Account) -> None:
    require(can_route(proposal, actor), _("Only the coordinating office can do that."))


# --- routing ---------------------------------------------------------------------------------------

def can_route(proposal: Proposal, actor: Account) -> bool:
    """The district office routes everything; a town or community council's facilitators route that
    council's own adopted ideas to its offices."""
    if not actor.is_authenticated:
        return False
    if actor.is_coordinator:
        return True
    return proposal.current_council.tier is not Tier.district and actor.can_facilitate(proposal.current_council)


def suggested_units(proposal: Proposal) -> list[Unit]:
    """The plan task's lead departments (groups opened into their members); at town and community tier
    that council's own offices come first. A unit the office switched off is not suggested."""
    units: list[Unit] = []
    if proposal.current_council.tier is not Tier.district:
        units += list(db.session.scalars(select(Unit).where(Unit.council_id == proposal.current_council_id,
                                                            Unit.is_active.is_(True))))
    if proposal.plan_task is not None:  # an earlier plan's task suggests the leads of the task it continues in
        continued = db.session.get(PlanTask, current_task_of(proposal.plan_task_id) or proposal.plan_task_id)
        units += [u for u in continued.suggested_units() if u not in units and u.is_active]
    return units


def tasks_of(proposal: Proposal, round_: int | None = None, *, with_answers: bool = False) -> list[Task]:
    """Round by round, the lead unit first. ``with_answers``: with the units, updates and photos the idea page
    shows, one statement each for all the tasks."""
    query = select(Task).where(Task.proposal_id == proposal.id)
    if round_ is not None:
        query = query.where(Task.round == round_)
    if not with_answers:
        return sorted(db.session.scalars(query), key=lambda t: (t.round, t.role is not TaskRole.lead, t.id))
    tasks = list(db.session.scalars(prepared("tasks-with-units", lambda: select(Task).where(
        Task.proposal_id == bindparam("proposal")).options(joinedload(Task.unit))), {"proposal": proposal.id}))
    preload(tasks, Task.updates)
    preload(tasks, Task.photos, TaskPhoto.file)
    return sorted(tasks, key=lambda t: (t.round, t.role is not TaskRole.lead, t.id))


def active_tasks(proposal: Proposal, round_: int | None = None) -> list[Task]:
    """This round's tasks that still count: not sent back, not taken back."""
    round_ = proposal.route_round if round_ is None else round_
    return [t for t in tasks_of(proposal, round_) if t.state not in (T.returned, T.withdrawn)]


def needs_routing_clause():
    """The one rule of what waits for the office to route, as SQL: adopted or reopened, or routed without a lead
    unit that still has it in the round the idea is routed in (not sent back, not taken back). The routing queue
    and its count on the office's page filter by it (``tasks.queries``)."""
    lead_left = exists().where(Task.proposal_id == Proposal.id, Task.round == Proposal.route_round,
                               Task.role == TaskRole.lead, Task.state.not_in([T.returned, T.withdrawn]))
    return or_(Proposal.state.in_([S.adopted, S.reopened]), and_(Proposal.state == S.routed, not_(lead_left)))


def needs_routing(proposal: Proposal) -> bool:
    """Whether this idea waits for the office to route it (``needs_routing_clause``, asked of the database)."""
    if proposal.id is None:
        return proposal.state in (S.adopted, S.reopened)
    return bool(db.session.scalar(select(Proposal.id).where(Proposal.id == proposal.id, needs_routing_clause())))


def route(proposal: Proposal, actor: Account, *, lead: Unit | None, co_units: list[Unit] = (), note: str = "",
          now: datetime | None = None) -> list[Task]:
    """Send the idea to one lead unit and any co-units; one task per unit, due dates fixed now."""
    _require_coordinator(proposal, actor)
    now = now or clock.now()
    require(proposal.state in (S.adopted, S.reopened, S.routed),
            _("Only an adopted idea can be sent to units."), IllegalTransition)
    round_ = proposal.route_round + 1 if proposal.state is S.reopened else proposal.route_round
    active = active_tasks(proposal, round_)
    has_lead = any(t.role is TaskRole.lead for t in active)
    require(lead is not None or has_lead, _("Choose the lead unit."), DomainError, field="lead")
    require(lead is None or not has_lead, _("This idea already has a lead unit."), DomainError, field="lead")
    wanted = ([(lead, TaskRole.lead)] if lead else []) + [(u, TaskRole.co) for u in co_units if u != lead]
    require(bool(wanted), _("Choose at least one unit."), DomainError, field="co")
    require(len((note or "").strip()) <= NOTE_MAX, _("This part is too long. Please keep it under %(n)s characters.",
                                                     n=NOTE_MAX), DomainError, field="note")
    taken = {t.unit_id: t for t in tasks_of(proposal, round_)}
    for unit, _role in wanted:
        require(unit.routable and unit.is_active, _("%(unit)s cannot receive tasks: choose one department.",
                                                    unit=unit.display_name), DomainError)
        earlier = taken.get(unit.id)
        # A unit that sent the idea back gets the same task again (``redispatch``), with a note for its reason.
        require(earlier is None or earlier.state is T.returned,
                _("%(unit)s already has this idea.", unit=unit.display_name), DomainError)
        require(earlier is None or bool((note or "").strip()), _(
            "%(unit)s sent this idea back. Write a note that answers its reason, then send it again.",
            unit=unit.display_name), DomainError, field="note")
    proposal.route_round = round_
    if proposal.state in (S.adopted, S.reopened):
        move(proposal, S.routed, actor, round=proposal.route_round)
    tasks = []
    for unit, role in wanted:
        if unit.id in taken:
            redispatch(taken[unit.id], actor, note, role=role, now=now)
            tasks.append(taken[unit.id])
            continue
        task = Task(proposal=proposal, unit=unit, role=role, round=proposal.route_round, note=(note or "").strip(),
                    dispatched_at=now, dispatched_by_id=actor.id, **deadlines_from(now))
        db.session.add(task)
        db.session.flush()
        _log(task, "task_dispatched", actor, to_state=T.dispatched, role=role.value,
             reply_due=task.reply_due.isoformat())
        tell_children(proposal, "task_dispatched", unit=unit.name)
        notify(unit_staff(unit), "task_for_unit", proposal, title=proposal.title, unit=unit.name,
               due=task.acknowledge_due.isoformat())
        tasks.append(task)
    return tasks


def redispatch(task: Task, actor: Account, note: str, *, role: TaskRole | None = None,
               now: datetime | None = None) -> None:
    """The office gives a task the unit sent back (退单) to the same unit again, on the same row, with a note that
    answers the unit's reason: dispatched anew, its deadlines counted from now as at the first dispatch, the unit
    told. Only a returned task of the round the idea is routed in; any other is refused with its state named."""
    _require_coordinator(task.proposal, actor)
    proposal, unit = task.proposal, task.unit
    note = (note or "").strip()
    if task.state is not T.returned:
        raise IllegalTransition(_("Only a task the unit sent back can be sent to it again; this one is “%(state)s”.",
                                  state=task.state.label))
    require(proposal.state is S.routed and task.round == proposal.route_round,
            _("This idea is “%(state)s” now, so its units cannot be changed.", state=proposal.state.label),
            IllegalTransition)
    require(unit.routable and unit.is_active, _("%(unit)s cannot receive tasks: choose one department.",
                                                unit=unit.display_name), DomainError)
    require(bool(note), _("Write a note that answers the unit's reason for sending it back."), DomainError,
            field="note")
    require(len(note) <= NOTE_MAX, _("This part is too long. Please keep it under %(n)s characters.", n=NOTE_MAX),
            DomainError, field="note")
    role = role or task.role
    require(role is not TaskRole.lead or not any(t.role is TaskRole.lead for t in active_tasks(proposal)),
            _("This idea already has a lead unit."), DomainError, field="lead")
    now = now or clock.now()
    due = deadlines_from(now)
    _move(task, T.dispatched, actor, "task_redispatched", reason=note, role=role.value,
          reply_due=due["reply_due"].isoformat())
    task.role, task.note, task.dispatched_at, task.dispatched_by_id = role, note, now, actor.id
    for which, value in due.items():
        setattr(task, which, value)
    task.acknowledged_at = task.acknowledged_late = None
    notify(unit_staff(unit), "task_for_unit", proposal, title=proposal.title, unit=unit.name,
           due=task.acknowledge_due.isoformat())


# --- deadlines -------------------------------------------------------------------------------------------

# Which working-day count each deadline is, by the setting that counts it.
DEADLINES = {"acknowledge_due": "ACKNOWLEDGE_WORKDAYS", "reply_due": "REPLY_WORKDAYS",
             "very_overdue_on": "VERY_OVERDUE_WORKDAYS"}


def deadlines_from(now: datetime) -> dict[str, date]:
    """A task's deadlines when it is sent at ``now``: working days from that Zhoucun day on the official calendar
    (``calendar.operations.add_workdays``), stored so a later calendar change never moves them."""
    day = clock.local_day(now)
    return {which: add_workdays(day, current_app.config[setting]) for which, setting in DEADLINES.items()}


def deadline_estimated(task, which: str = "reply_due", completed=None) -> bool:
    """Whether the task's deadline ``which`` (a key of DEADLINES) is only an estimate: its count from the dispatch
    day crossed a year whose holidays are not known yet (``calendar.operations.is_estimated``). Every page and mail
    that shows a deadline asks here; ``task`` is a Task or a row with ``dispatched_at`` and the dates.

    A deadline in a year the package knows, counted from a dispatch in such a year, crossed no other year: that
    is answered without working out the dispatch day on the district's clock (never more than a day from the UTC
    date), which a desk of 30 tasks asked 60 times a page."""
    end, known = getattr(task, which), known_years()
    if end.year < known.stop and task.dispatched_at.year >= known.start:
        return False
    return is_estimated(clock.local_day(task.dispatched_at), end, completed)


def recount_estimated_deadlines(actor, *, completed_before: set[int]) -> list[Task]:
    """After the office changed a year not settled before (entered a date, or marked it complete): count the
    estimated deadlines of the open tasks again from their dispatch day on the calendar as it is now, and log it on
    the idea. An acknowledge date already acknowledged and an answer date the office extended by hand stay."""
    first_unknown = date(known_years().stop, 1, 1)
    candidates = db.session.scalars(select(Task).where(
        Task.state.in_(list(OPEN_STATES)),
        or_(*(getattr(Task, which) >= first_unknown for which in DEADLINES))).order_by(Task.id))
    completed_now = completed_years()
    config = current_app.config
    changed = []
    for task in candidates:
        day = clock.local_day(task.dispatched_at)
        was = {which: deadline_estimated(task, which, completed_before) for which in DEADLINES}
        if not any(was.values()):
            continue
        before = {which: getattr(task, which) for which in DEADLINES}
        for which, setting in DEADLINES.items():
            fixed = ((which == "acknowledge_due" and task.state is not T.dispatched)
                     or (which == "reply_due" and task.extension_state is ExtensionState.approved))
            if was[which] and not fixed:
                setattr(task, which, add_workdays(day, config[setting]))
        now = {which: deadline_estimated(task, which, completed_now) for which in DEADLINES}
        if before == {which: getattr(task, which) for which in DEADLINES} and was == now:
            continue
        _log(task, "task_deadlines_recounted", actor,
             before={which: value.isoformat() for which, value in before.items()},
             after={which: getattr(task, which).isoformat() for which in DEADLINES},
             estimated=[which for which, flag in now.items() if flag])
        changed.append(task)
    return changed


def withdraw(task: Task, actor: Account, reason: str) -> None:
    """The coordinating office takes a task back (sent to the wrong unit)."""
    _require_coordinator(task.proposal, actor)
    require(bool((reason or "").strip()), _("Write why the task is taken back."), DomainError, field="reason")
    _move(task, T.withdrawn, actor, "task_withdrawn", reason=reason.strip())


# --- the unit's side -------------------------------------------------------------------------------

def acknowledge(task: Task, actor: Account, *, now: datetime | None = None) -> None:
    _require_staff(task, actor)
    now = now or clock.now()
    _move(task, T.acknowledged, actor, "task_acknowledged")
    task.acknowledged_at = now
    task.acknowledged_late = clock.local_day(now) > task.acknowledge_due


def send_back(task: Task, actor: Account, reason: str, *, now: datetime | None = None) -> None:
    """退单: not this unit's matter. The coordinating office must route it again."""
    _require_staff(task, actor)
    reason = (reason or "").strip()
    require(bool(reason), _("Write why this is not your unit's matter, so it can go to the right one."),
            DomainError, field="reason")
    _move(task, T.returned, actor, "task_returned", reason=reason)
    task.returned_at, task.return_reason = now or clock.now(), reason
    notify(coordinators(), "task_returned_to_office", task.proposal, title=task.proposal.title,
           unit=task.unit.name, reason=reason)


def post_progress(task: Task, actor: Account, text: str, *, now: datetime | None = None) -> TaskUpdate:
    _require_staff(task, actor)
    text = (text or "").strip()
    require(bool(text), _("Write what has been done."), DomainError, field="text")
    require(task.state in (T.acknowledged, T.in_progress), _("Acknowledge the task first."), IllegalTransition)
    if task.state is T.acknowledged:
        _move(task, T.in_progress, actor, "task_started")
    update = TaskUpdate(task=task, author_id=actor.id, text=text, created_at=now or clock.now())
    db.session.add(update)
    _log(task, "task_progress", actor, text=text)
    tell_children(task.proposal, "task_progress", unit=task.unit.name)
    return update


def reply(task: Task, actor: Account, *, grade: Grade, summary: str, reply_text: str = "", reason: str = "",
          photos: list = (), now: datetime | None = None) -> None:
    _require_staff(task, actor)
    now = now or clock.now()
    config = current_app.config
    summary, reason = (summary or "").strip(), (reason or "").strip()
    require(config["SUMMARY_MIN_CHARS"] <= len(summary) <= config["SUMMARY_MAX_CHARS"],
            _("Write the answer for children in %(min)s to %(max)s characters, in words a 9-year-old understands.",
              min=config["SUMMARY_MIN_CHARS"], max=config["SUMMARY_MAX_CHARS"]), DomainError, field="summary")
    require(grade is not Grade.D or bool(reason), _("Explain why it is not possible."), DomainError, field="reason")
    # The answers to one idea queue behind each other from here (council/claims.py): of two units answering at the
    # same moment, the second finds the first one's answer when it asks whether the idea is answered now. Held before
    # anything is written: each answer's messages point at the idea, and two answers holding those key locks would
    # each wait for the other to let go of the idea.
    hold(task.proposal)
    answer = {"grade": grade, "summary": summary, "reply_text": (reply_text or "").strip(), "reason": reason or None,
              "replied_at": now, "replied_late": clock.local_day(now) > task.reply_due,
              "workdays_to_reply": workdays_between(clock.local_day(task.dispatched_at), clock.local_day(now))}
    _move(task, T.replied, actor, "task_replied", also=answer, grade=grade.value)
    for stored, description in photos:
        task.photos.append(TaskPhoto(file=stored, description=description))
    tell_children(task.proposal, "task_replied", unit=task.unit.name)
    _answered_if_complete(task.proposal, actor, now)


def _answered_if_complete(proposal: Proposal, actor: Account, now: datetime) -> None:
    """When every unit of this round has answered, the idea is answered and the children can rate it. Called with the
    idea held (``reply``): two answers at the same moment cannot both miss each other and leave it routed."""
    active = active_tasks(proposal)
    if active and all(t.state is T.replied for t in active) and any(t.role is TaskRole.lead for t in active):
        move(proposal, S.answered, actor, also={"answered_at": now}, round=proposal.route_round)
        tell_children(proposal, "proposal_answered" if proposal.route_round <= 1 else "proposal_answered_again")


def request_extension(task: Task, actor: Account, until: date, reason: str) -> None:
    _require_staff(task, actor)
    require(task.state in (T.acknowledged, T.in_progress), _("Acknowledge the task first."), IllegalTransition)
    require(task.extension_state is not ExtensionState.requested, _("An extension is already asked for."),
            IllegalTransition)
    require(until is not None and until > task.reply_due, _("The new date must be after the current due date."),
            DomainError, field="until")
    require(bool((reason or "").strip()), _("Write why more time is needed."), DomainError, field="reason")
    task.extension_state, task.extension_until, task.extension_reason = ExtensionState.requested, until, reason.strip()
    _log(task, "task_extension_requested", actor, reason=reason.strip(), until=until.isoformat())


def decide_extension(task: Task, actor: Account, *, approve: bool) -> None:
    _require_coordinator(task.proposal, actor)
    require(task.extension_state is ExtensionState.requested, _("No extension is waiting for a decision."),
            IllegalTransition)
    if approve:
        before = task.reply_due
        task.reply_due = task.extension_until
        task.extensions += 1
        task.extension_state = ExtensionState.approved
        _log(task, "task_extension_approved", actor, before=before.isoformat(), until=task.reply_due.isoformat())
        tell_children(task.proposal, "task_extension", unit=task.unit.name, due=task.reply_due.isoformat())
    else:
        task.extension_state = ExtensionState.refused
        _log(task, "task_extension_refused", actor)


# --- the children's verdict ------------------------------------------------------------------------

class AlreadyRated(DomainError):
    """A second tap on the rating: the first one counts."""


def may_rate(proposal: Proposal, account: Account) -> bool:
    if not (account.is_authenticated and account.is_child and proposal.state is S.answered):
        return False
    return any(a.id == account.id for a in [*proposal.authors, *supporters_of(proposal)])


def my_rating(proposal: Proposal, account: Account) -> Rating | None:
    if not account.is_authenticated:
        return None
    return db.session.scalar(select(Rating).where(Rating.proposal_id == proposal.id, Rating.account_id == account.id,
                                                  Rating.round == proposal.route_round))


def rate(proposal: Proposal, account: Account, value: RatingValue, comment: str = "", *,
         now: datetime | None = None) -> Rating:
    """满意 / 基本满意 / 不满意. An author's 不满意 reopens the idea once; when every author is content
    (or the second answer is rated) it closes."""
    from council.accounts.operations import ensure_can_act

    ensure_can_act(account)
    already = _("You have already rated this answer. Thank you!")
    require(my_rating(proposal, account) is None, already, AlreadyRated)
    require(may_rate(proposal, account), _("Only the children who raised or supported this idea can rate the answer."))
    # The ratings of one idea queue behind each other from here (council/claims.py): a second tap finds the first
    # one's rating, and the last author to rate finds every other author's.
    hold(proposal)
    require(my_rating(proposal, account) is None, already, AlreadyRated)
    if proposal.state is not S.answered:  # another author's rating reopened or closed it a moment ago
        raise AlreadyChanged()
    by_author = any(a.id == account.id for a in proposal.authors)
    rating = Rating(proposal_id=proposal.id, account_id=account.id, round=proposal.route_round, value=value,
                    comment=(comment or "").strip()[:500], by_author=by_author, created_at=now or clock.now())
    db.session.add(rating)
    db.session.flush()
    record("answer_rated", proposal, actor=account, council=proposal.current_council, rating=value.value,
           by_author=by_author, round=proposal.route_round)
    if not by_author:
        return rating
    if value is RatingValue.not_satisfied and proposal.route_round == 1:
        move(proposal, S.reopened, account, reason=rating.comment or None)
        notify(coordinators(), "proposal_reopened", proposal, title=proposal.title)
        return rating
    author_ids = {a.id for a in proposal.authors}
    rated = set(db.session.scalars(select(Rating.account_id).where(
        Rating.proposal_id == proposal.id, Rating.round == proposal.route_round, Rating.by_author.is_(True))))
    if author_ids <= rated:
        move(proposal, S.closed, account, action="proposal_closed")
        tell_children(proposal, "proposal_closed")
    return rating


def close_quiet_answers(now: datetime | None = None) -> list[Proposal]:
    """Answered ideas that nobody reopened within the configured days close by themselves."""
    from datetime import timedelta

    now = now or clock.now()
    limit = now - timedelta(days=current_app.config["CLOSE_ANSWERED_AFTER_DAYS"])
    stale = list(db.session.scalars(select(Proposal).where(Proposal.state == S.answered,
                                                           Proposal.answered_at < limit)))
    closed = []
    for proposal in stale:
        try:
            move(proposal, S.closed, None, action="proposal_closed", reason="no_rating_in_time")
        except AlreadyChanged:  # a child rated it (or another run closed it) a moment ago: nothing to do here
            db.session.refresh(proposal)
            continue
        tell_children(proposal, "proposal_closed")
        closed.append(proposal)
    return closed



