"""Every rule of a council session: agenda, attendance, votes, outcomes, elections, forwarding.

No request, no form, no commit here (STYLE.md)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from council.accounts.models import CHILD_ROLES, Account, Membership, MembershipRole
from council.accounts.operations import add_membership, can_act
from council.audit.operations import record
from council.calendar import clock
from council.claims import AlreadyChanged, claim, hold
from council.councils.models import Council, Tier
from council.db import insert_once
from council.errors import DomainError, require
from council.extensions import db
from council.notifications.models import Notification
from council.notifications.operations import notify, tell_children
from council.proposals.models import Proposal, ProposalState
from council.proposals.operations import IllegalTransition, move
from council.sessions.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotReceipt,
    Candidate,
    Choice,
    Face,
    Feedback,
    ItemKind,
    ItemStatus,
    Outcome,
    Session,
    SessionStatus,
    VoteMethod,
)

S = ProposalState


def _require_facilitator(council: Council, actor: Account) -> None:
    require(actor.is_authenticated and actor.can_facilitate(council),
            _("Only a facilitator of this council can do that."))


def _require_status(session: Session, *allowed: SessionStatus) -> None:
    require(session.status in allowed, _("This session is “%(status)s”, so that cannot be done now.",
                                         status=session.status.label), IllegalTransition)


def session_day(session: Session) -> date:
    return session.starts_at.date()


def members_on(council: Council, on: date) -> list[Account]:
    """Children whose member term in this council covers the day (chairs are members too)."""
    return list(db.session.scalars(
        select(Account).join(Membership, Membership.account_id == Account.id).where(
            Membership.council_id == council.id, Membership.role.in_(CHILD_ROLES),
            Membership.starts_on <= on, or_(Membership.ends_on.is_(None), Membership.ends_on >= on))
        .distinct().order_by(Account.display_name)))


# --- preparing -----------------------------------------------------------------------------------

def set_rules(council: Council, actor: Account, *, quorum_percent: int, majority_percent: int) -> None:
    """A council may decide its own quorum and majority; both stay sensible (a majority is at least half)."""
    _require_facilitator(council, actor)
    require(1 <= quorum_percent <= 100, _("The quorum is a share between 1 and 100 per cent."), DomainError,
            field="quorum_percent")
    require(50 <= majority_percent < 100, _("The majority is a share from 50 to 99 per cent."), DomainError,
            field="majority_percent")
    before = {"quorum": council.quorum_percent, "majority": council.majority_percent}
    council.quorum_percent, council.majority_percent = quorum_percent, majority_percent
    record("council_rules_changed", council, actor=actor, council=council, before=before,
           after={"quorum": quorum_percent, "majority": majority_percent})


def schedule(council: Council, actor: Account, *, title: str, starts_at: datetime, place: str = "",
             online: bool = False) -> Session:
    _require_facilitator(council, actor)
    require(bool((title or "").strip()), _("Give the session a title."), DomainError)
    session = Session(council=council, title=title.strip(), starts_at=starts_at, place=(place or "").strip(),
                      online=online, created_by_id=actor.id)
    db.session.add(session)
    record("session_scheduled", session, actor=actor, council=council, to_state=SessionStatus.draft)
    return session


def agenda_candidates(session: Session) -> list[Proposal]:
    """Public ideas of this council waiting for a decision; not one hidden while an adult checks reports on it."""
    return list(db.session.scalars(select(Proposal).where(
        Proposal.current_council_id == session.council_id, Proposal.state == S.published, Proposal.hidden_at.is_(None))
        .order_by(Proposal.support_count.desc(), Proposal.id)))


def add_to_agenda(session: Session, proposal: Proposal, actor: Account) -> AgendaItem:
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.draft, SessionStatus.open)
    require(proposal.current_council_id == session.council_id,
            _("Only ideas of this council can go on its agenda."), DomainError)
    require(proposal.hidden_at is None,
            _("This idea is hidden while an adult checks the reports on it; decide on the reports first."),
            DomainError)
    move(proposal, S.on_agenda, actor, session=session.id)
    item = AgendaItem(kind=ItemKind.proposal, proposal=proposal, position=len(session.items))
    session.items.append(item)
    tell_children(proposal, "proposal_on_agenda", council=session.council.name)
    return item


def remove_from_agenda(item: AgendaItem, actor: Account) -> None:
    session = item.session
    _require_facilitator(session.council, actor)
    require(item.status is ItemStatus.pending, _("Voting on this item has started."), IllegalTransition)
    if item.proposal is not None:
        move(item.proposal, S.published, actor, action="proposal_removed_from_agenda", session=session.id)
    session.items.remove(item)


def add_election(session: Session, actor: Account, role: MembershipRole, candidates: list[Account]) -> AgendaItem:
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.draft, SessionStatus.open)
    require(role in (MembershipRole.chair, MembershipRole.vice_chair, MembershipRole.rotating_chair),
            _("Elections are for chair, vice-chair or rotating chair."), DomainError)
    members = {m.id for m in members_on(session.council, session_day(session))}
    require(len(candidates) >= 2, _("An election needs at least two candidates."), DomainError)
    require(all(c.id in members for c in candidates), _("Candidates must be members of this council."),
            DomainError)
    item = AgendaItem(kind=ItemKind.election, election_role=role, secret=True, position=len(session.items))
    item.candidates = [Candidate(account=c) for c in candidates]
    session.items.append(item)
    record("election_added", session, actor=actor, council=session.council, role=role.value)
    return item


# --- in session ----------------------------------------------------------------------------------

def open_session(session: Session, actor: Account) -> None:
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.draft)
    members = members_on(session.council, session_day(session))
    require(bool(members), _("This council has no members for the day of the session."), DomainError)
    session.status = SessionStatus.open
    session.opened_at = clock.now()
    session.members_count = len(members)
    session.attendance = [Attendance(account=m, present=False) for m in members]
    db.session.flush()  # the attendance rows get their account ids before anyone is marked present
    record("session_opened", session, actor=actor, council=session.council, from_state=SessionStatus.draft,
           to_state=SessionStatus.open, members=len(members))


def mark_attendance(session: Session, actor: Account, present_ids: set[int]) -> None:
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.open)
    for row in session.attendance:
        row.present = row.account_id in present_ids
    record("attendance_marked", session, actor=actor, council=session.council, present=session.present_count,
           members=session.members_count)
    for item in session.items:
        if item.status is ItemStatus.voting:  # a member who arrives while a vote is open hears about it too
            hold(item)
            _tell_voters(item)


def open_vote(item: AgendaItem, actor: Account, *, secret: bool | None = None) -> bool:
    """Open the vote and tell every member who is here. A second tap, or a retry, while it is open changes
    nothing and tells nobody again; returns whether this call opened it."""
    session = item.session
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.open)
    if item.status is ItemStatus.voting:
        return False
    require(item.status is ItemStatus.pending, _("This item has already been voted on."), IllegalTransition)
    require(session.quorum_met, _("Not enough members are here: %(present)s of %(members)s, and at least "
                                  "%(percent)s%% are needed.", present=session.present_count,
                                  members=session.members_count, percent=session.council.quorum_percent),
            DomainError)
    try:
        claim(item, AgendaItem.status, ItemStatus.pending, ItemStatus.voting)
    except AlreadyChanged:
        db.session.refresh(item)  # two taps at once: the other one opened it and told the members
        if item.status is ItemStatus.voting:
            return False
        raise
    if secret is not None and item.kind is ItemKind.proposal:
        item.secret = secret
    record("vote_opened", session, actor=actor, council=session.council, item=item.id, secret=item.secret)
    _tell_voters(item)
    return True


# What a member is told when a vote opens: one message per member and vote (council/notifications/operations.py).
VOTE_NOTICES = {ItemKind.proposal: "vote_opened", ItemKind.election: "election_opened"}


def _tell_voters(item: AgendaItem) -> None:
    """Each member who may vote on the item gets one message about it, however often the vote is opened or
    attendance is saved; the caller holds the item's row, so two requests at once cannot both tell."""
    session, kind = item.session, VOTE_NOTICES[item.kind]
    told = set(db.session.scalars(select(Notification.account_id).where(
        Notification.kind == kind, Notification.params["item"].as_integer() == item.id)))
    params = {"title": item.proposal.title} if item.proposal is not None else {}
    notify([v for v in voters(session) if v.id not in told], kind, council=session.council.name, item=item.id,
           session=session.id, **params)


def voters(session: Session, among: Account | None = None) -> list[Account]:
    """Who may vote in the session today (or whether ``among`` may): marked present, a member on its day, and
    able to act."""
    rows = [a for a in session.attendance if a.present and (among is None or a.account_id == among.id)]
    if not rows:
        return []
    members = {m.id for m in members_on(session.council, session_day(session))}
    return [a.account for a in rows if a.account_id in members and can_act(a.account)]


def may_vote(item: AgendaItem, account: Account) -> bool:
    return bool(voters(item.session, among=account))


def waiting_votes(account: Account) -> list[Session]:
    """The open sessions with a vote this account may cast and has not: what its home page calls it to."""
    voted = select(BallotReceipt.id).where(BallotReceipt.item_id == AgendaItem.id,
                                           BallotReceipt.voter_id == account.id).exists()
    items = db.session.scalars(
        select(AgendaItem).join(Session, AgendaItem.session_id == Session.id)
        .join(Attendance, (Attendance.session_id == Session.id) & (Attendance.account_id == account.id))
        .where(Session.status == SessionStatus.open, AgendaItem.status == ItemStatus.voting, Attendance.present,
               ~voted)
        .order_by(Session.starts_at, Session.id, AgendaItem.position))
    sessions = dict.fromkeys(item.session for item in items)  # who may vote depends on the session only
    return [session for session in sessions if voters(session, among=account)]


def has_voted(item: AgendaItem, account: Account) -> bool:
    return db.session.scalar(select(BallotReceipt.id).where(
        BallotReceipt.item_id == item.id, BallotReceipt.voter_id == account.id)) is not None


def check_ballot(item: AgendaItem, voter: Account, *, choice: Choice | None = None,
                 candidate: Candidate | None = None, recorded_by: Account | None = None) -> None:
    """Everything ``cast`` checks before it writes: the member's ballot page asks them to confirm a choice only
    when it could be cast."""
    session = item.session
    require(session.status is SessionStatus.open and item.status is ItemStatus.voting,
            _("Voting on this item is not open."), IllegalTransition)
    require(may_vote(item, voter), _("Only council members who are here today can vote."))
    if recorded_by is not None:
        _require_facilitator(session.council, recorded_by)
        require(not item.secret, _("A secret ballot cannot be recorded by show of hands."), DomainError)
    if item.kind is ItemKind.proposal:
        require(choice is not None, _("Choose for, against or abstain."), DomainError)
    else:
        require(candidate is not None and candidate in item.candidates, _("Choose one of the candidates."),
                DomainError)


def cast(item: AgendaItem, voter: Account, *, choice: Choice | None = None, candidate: Candidate | None = None,
         recorded_by: Account | None = None) -> None:
    """One ballot per present member with a current term, once. Two at the same moment still count once."""
    check_ballot(item, voter, choice=choice, candidate=candidate, recorded_by=recorded_by)
    if not insert_once(BallotReceipt, item_id=item.id, voter_id=voter.id,
                       method=VoteMethod.show_of_hands if recorded_by else VoteMethod.device,
                       recorded_by_id=getattr(recorded_by, "id", None)):
        raise DomainError(_("This vote is already counted. Each member votes once."))
    db.session.add(Ballot(item_id=item.id, voter_id=None if item.secret else voter.id, choice=choice,
                          candidate_id=getattr(candidate, "id", None)))


def record_show_of_hands(item: AgendaItem, actor: Account, choices: dict[int, Choice]) -> int:
    """The facilitator writes down each present member's raised hand; members who already voted keep
    their own ballot. Returns how many hands were recorded."""
    recorded = 0
    for row in item.session.attendance:
        choice = choices.get(row.account_id)
        if row.present and choice is not None and not has_voted(item, row.account):
            cast(item, row.account, choice=choice, recorded_by=actor)
            recorded += 1
    return recorded


def count(item: AgendaItem) -> dict:
    rows = db.session.execute(select(Ballot.choice, Ballot.candidate_id, func.count())
                              .where(Ballot.item_id == item.id).group_by(Ballot.choice, Ballot.candidate_id)).all()
    choices = {Choice.for_: 0, Choice.against: 0, Choice.abstain: 0}
    candidates: dict[int, int] = {}
    for choice, candidate_id, n in rows:
        if choice is not None:
            choices[choice] += n
        if candidate_id is not None:
            candidates[candidate_id] = n
    return {"choices": choices, "candidates": candidates}


def adopted(votes_for: int, votes_against: int, votes_abstain: int, majority_percent: int = 50) -> bool:
    """Adopted iff the votes for are more than ``majority_percent`` of all votes cast (abstaining counts)."""
    cast_total = votes_for + votes_against + votes_abstain
    return cast_total > 0 and votes_for * 100 > majority_percent * cast_total


def close_vote(item: AgendaItem, actor: Account, *, reason: str | None = None) -> Outcome:
    session = item.session
    _require_facilitator(session.council, actor)
    require(item.status is ItemStatus.voting, _("Voting on this item is not open."), IllegalTransition)
    counted = count(item)
    item.votes_for = counted["choices"][Choice.for_]
    item.votes_against = counted["choices"][Choice.against]
    item.votes_abstain = counted["choices"][Choice.abstain]
    if item.kind is ItemKind.election:
        return _close_election(item, actor, counted["candidates"])
    reason = (reason or "").strip()
    if adopted(item.votes_for, item.votes_against, item.votes_abstain, session.council.majority_percent):
        item.outcome = Outcome.adopted
        move(item.proposal, S.adopted, actor, session=session.id, tally=item.tally)
        kind = "proposal_adopted"
    else:
        require(bool(reason), _("The idea was not adopted. Write the reason for the children who raised it."),
                DomainError, field="reason")
        item.outcome = Outcome.not_adopted
        move(item.proposal, S.not_adopted, actor, reason=reason, session=session.id, tally=item.tally)
        kind = "proposal_not_adopted"
    item.outcome_reason = reason or None
    item.status = ItemStatus.decided
    tell_children(item.proposal, kind, council=session.council.name, reason=reason, **{
        "for": item.votes_for, "against": item.votes_against, "abstain": item.votes_abstain})
    return item.outcome


def _close_election(item: AgendaItem, actor: Account, votes: dict[int, int]) -> Outcome:
    """The candidate with the most votes wins. A tie for the most (or no votes) elects nobody: the
    facilitator holds a run-off between the tied candidates — the rule shown on the session page."""
    session = item.session
    for candidate in item.candidates:
        candidate.votes = votes.get(candidate.id, 0)
    top = max((c.votes for c in item.candidates), default=0)
    leaders = [c for c in item.candidates if c.votes == top]
    item.status = ItemStatus.decided
    if top == 0 or len(leaders) > 1:
        item.outcome = Outcome.tie
        record("election_tied", session, actor=actor, council=session.council, item=item.id,
               tied=[c.account_id for c in leaders])
        return item.outcome
    winner = leaders[0].account
    item.outcome, item.elected = Outcome.elected, winner
    term_end = max((m.ends_on for m in winner.memberships if m.council_id == session.council_id
                    and m.role is MembershipRole.member and m.ends_on), default=None)
    add_membership(winner, session.council, item.election_role, starts_on=session_day(session), ends_on=term_end)
    record("election_decided", session, actor=actor, council=session.council, item=item.id, elected=winner.id)
    return item.outcome


def runoff(item: AgendaItem, actor: Account) -> AgendaItem:
    require(item.outcome is Outcome.tie, _("Only a tied election needs a run-off."), DomainError)
    top = max(c.votes for c in item.candidates)
    tied = [c.account for c in item.candidates if c.votes == top] if top else [c.account for c in item.candidates]
    return add_election(item.session, actor, item.election_role, tied)


def defer(item: AgendaItem, actor: Account, reason: str | None = None) -> None:
    """Not decided today: the idea goes back to the council's public ideas for another session."""
    session = item.session
    _require_facilitator(session.council, actor)
    require(item.status is ItemStatus.pending, _("Voting on this item has started."), IllegalTransition)
    item.status, item.outcome, item.outcome_reason = ItemStatus.decided, Outcome.deferred, (reason or None)
    if item.proposal is not None:
        move(item.proposal, S.published, actor, action="proposal_deferred", reason=reason, session=session.id)
        tell_children(item.proposal, "proposal_deferred", council=session.council.name)


def close_session(session: Session, actor: Account, *, minutes: str | None = None) -> None:
    _require_facilitator(session.council, actor)
    _require_status(session, SessionStatus.open)
    require(all(i.status is not ItemStatus.voting for i in session.items),
            _("Close the open vote first."), IllegalTransition)
    for item in session.items:
        if item.status is ItemStatus.pending:
            defer(item, actor)
    if minutes is not None:
        session.minutes = minutes.strip()
    session.status = SessionStatus.closed
    session.closed_at = clock.now()
    record("session_closed", session, actor=actor, council=session.council, from_state=SessionStatus.open,
           to_state=SessionStatus.closed)


def save_minutes(session: Session, actor: Account, minutes: str) -> None:
    _require_facilitator(session.council, actor)
    session.minutes = (minutes or "").strip()
    record("minutes_saved", session, actor=actor, council=session.council)


def give_feedback(session: Session, account: Account, face: Face) -> bool:
    require(session.status is SessionStatus.closed, _("You can tell us after the session."), IllegalTransition)
    require(any(a.account_id == account.id and a.present for a in session.attendance),
            _("Only members who were at the session answer this."))
    return insert_once(Feedback, session_id=session.id, account_id=account.id, face=face)


def feedback_summary(session: Session) -> dict[Face, int]:
    rows = dict(db.session.execute(select(Feedback.face, func.count()).where(Feedback.session_id == session.id)
                                   .group_by(Feedback.face)).all())
    return {face: rows.get(face, 0) for face in Face}


# --- forwarding ----------------------------------------------------------------------------------

def can_forward(proposal: Proposal) -> bool:
    council = proposal.current_council
    return proposal.state is S.adopted and council.parent is not None and council.tier in (Tier.community, Tier.town)


def forward(proposal: Proposal, actor: Account) -> None:
    """An idea adopted at community/school or town/street tier goes to the council above, with its history
    and supporters, where it is public again and can go on that council's agenda."""
    _require_facilitator(proposal.current_council, actor)
    require(can_forward(proposal), _("Only an adopted idea of a community, school, town or street council can "
                                     "be forwarded."), IllegalTransition)
    below, above = proposal.current_council, proposal.current_council.parent
    move(proposal, S.forwarded, actor, from_council=below.id, to_council=above.id)
    proposal.current_council = above
    move(proposal, S.published, actor, action="proposal_arrived", from_council=below.id)
    tell_children(proposal, "proposal_forwarded", council=above.name)


# --- the screen in the room ---------------------------------------------------------------------------------------

def screen_state(session: Session) -> dict:
    """What the projector shows (``/sessions/<id>/screen``, polled as JSON): each item with the child's words and
    picture, who is present, and while a vote is open only how many of those present have voted — never a choice
    before the vote closes, secret or not. Once closed, the tally ``/api/v1/sessions/<id>`` gives, the outcome and
    the majority rule in one sentence. Hands counted by the facilitator are receipts like phone ballots."""
    present = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id,
                                                          Attendance.present.is_(True))
                                 .options(joinedload(Attendance.account))).all()  # names, read with them
    present_ids = {a.account_id for a in present}
    voted: dict[int, int] = {}
    if present_ids:
        voted = dict(db.session.execute(
            select(BallotReceipt.item_id, func.count()).join(AgendaItem, AgendaItem.id == BallotReceipt.item_id)
            .where(AgendaItem.session_id == session.id, BallotReceipt.voter_id.in_(present_ids))
            .group_by(BallotReceipt.item_id)).all())
    items = [_screen_item(item, voted.get(item.id, 0), len(present), session.council.majority_percent)
             for item in session.items]
    # The item the room looks at: the one being voted on; else the latest decided, so its tally stays up until
    # the facilitator moves on (arrow keys) or opens the next vote; else the first still to come.
    current = next((i["id"] for i in items if i["status"] == ItemStatus.voting.value), None)
    current = current or next((i["id"] for i in reversed(items) if i["decided"]), None)
    current = current or next((i["id"] for i in items if i["status"] == ItemStatus.pending.value), None)
    return {"session": {"id": session.id, "title": session.title, "status": session.status.value,
                        "status_label": str(session.status.child_label), "members": session.members_count},
            "present": sorted(a.account.display_name for a in present), "items": items,
            "current": current or (items[-1]["id"] if items else None)}


def _screen_item(item: AgendaItem, voted: int, present: int, majority: int) -> dict:
    proposal = item.proposal
    shown = proposal is not None and proposal.is_public  # its words and picture, as its public page shows them
    decided = item.status is ItemStatus.decided
    data = {"id": item.id, "position": item.position, "kind": item.kind.value, "status": item.status.value,
            "status_label": str(item.status.label), "secret": item.secret, "present": present, "voted": voted,
            "title": proposal.title if proposal is not None else
            _("Election of the %(role)s", role=item.election_role.label),
            "problem": proposal.problem if shown else "", "idea": proposal.idea if shown else "",
            "picture": proposal.images[0].file.key if shown and proposal.images else None,
            "decided": decided, "tally": None, "outcome": None, "passed": None, "headline": None, "rule": None,
            "candidates": None}
    if not decided:
        return data
    data |= {"tally": item.tally, "outcome": item.outcome.value, "headline": str(item.outcome.child_label)}
    if item.kind is ItemKind.proposal:
        data["passed"] = item.outcome is Outcome.adopted
        if item.outcome in (Outcome.adopted, Outcome.not_adopted):
            data["headline"] = _("Passed") if data["passed"] else _("Not passed")
        data["rule"] = _("An idea is adopted when more than %(percent)s%% of the votes cast say yes; “I do not "
                         "choose” counts as a vote cast.", percent=majority)
    else:
        data["candidates"] = [{"nickname": c.account.display_name, "votes": c.votes} for c in item.candidates]
        data["rule"] = _("The candidate with the most votes is chosen; if two have the same, they vote again.")
    return data


def being_prepared(held: list[Council]) -> list[tuple[Council, int]]:
    """Sessions being prepared, counted per council: each council in ``held`` (none is a figure too), then the
    councils below them that have one — what a facilitator's page lists, each linking to that council's sessions."""
    if not held:
        return []
    found = dict(db.session.execute(
        select(Council, func.count(Session.id)).join(Session, Session.council_id == Council.id)
        .where(Session.status == SessionStatus.draft, or_(*(Council.path.startswith(c.path) for c in held)))
        .group_by(Council.id).order_by(Council.path)).tuples().all())
    return [(c, found.pop(c, 0)) for c in held] + list(found.items())
