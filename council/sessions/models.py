"""Council sessions (议事会议): agenda, attendance, roll-call ballots, elections, feedback."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account, MembershipRole
from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.proposals.models import Proposal
from council.uploads.models import StoredFile


class SessionStatus(LabeledEnum):
    draft = "draft", _l("Being prepared"), _l("Being got ready")
    open = "open", _l("In session"), _l("The meeting is on now")
    closed = "closed", _l("Closed"), _l("The meeting is over")


class ItemKind(LabeledEnum):
    proposal = "proposal", _l("Idea")
    election = "election", _l("Election")


class ItemStatus(LabeledEnum):
    pending = "pending", _l("Not voted yet")
    voting = "voting", _l("Voting now")
    decided = "decided", _l("Decided")


class Outcome(LabeledEnum):
    pending = "pending", _l("Not decided yet"), _l("Not decided yet")
    adopted = "adopted", _l("Adopted"), _l("Most members said yes")
    not_adopted = "not_adopted", _l("Not adopted"), _l("Not enough members said yes")
    deferred = "deferred", _l("Deferred"), _l("They will decide another day")
    elected = "elected", _l("Elected"), _l("Chosen")
    tie = "tie", _l("Tie: run-off needed"), _l("Same number of votes: they vote again")


class Choice(LabeledEnum):
    for_ = "for", _l("For"), _l("Yes, I agree")
    against = "against", _l("Against"), _l("No, I do not agree")
    abstain = "abstain", _l("Abstain"), _l("I do not choose")

    @property
    def meaning(self):
        """What the choice means, in words a nine-year-old uses (the ballot page)."""
        return CHOICE_MEANINGS[self]

    @property
    def icon(self) -> str:
        """The picture beside the word, for children who choose by picture (an icon of council/static/icons)."""
        return CHOICE_ICONS[self]


CHOICE_ICONS = {Choice.for_: "thumb-up", Choice.against: "thumb-down", Choice.abstain: "circle-dashed"}
CHOICE_MEANINGS = {Choice.for_: _l("I agree with doing this."), Choice.against: _l("I do not agree."),
                   Choice.abstain: _l("I don't want to choose, and that is OK.")}


class VoteMethod(LabeledEnum):
    device = "device", _l("On their own device")
    show_of_hands = "show_of_hands", _l("Show of hands, recorded by the facilitator")


class Face(LabeledEnum):
    happy = "happy", _l("Yes, I was heard")
    middle = "middle", _l("A little")
    sad = "sad", _l("No, I was not heard")


class Session(db.Model):
    __tablename__ = "council_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.draft)
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Frozen when the session opens: the members whose term covers the session, for the quorum.
    members_count: Mapped[int] = mapped_column(default=0)

    council: Mapped[Council] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(back_populates="session", order_by="AgendaItem.position",
                                                   cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="session", cascade="all, delete-orphan")
    files: Mapped[list[MinutesFile]] = relationship(cascade="all, delete-orphan", order_by="MinutesFile.id")

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendance if a.present)

    @property
    def quorum_met(self) -> bool:
        return self.members_count > 0 and self.present_count * 100 >= self.council.quorum_percent * self.members_count


class Attendance(db.Model):
    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("session_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    present: Mapped[bool] = mapped_column(default=False)

    session: Mapped[Session] = relationship(back_populates="attendance")
    account: Mapped[Account] = relationship()


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    election_role: Mapped[MembershipRole | None] = mapped_column(enum_column(MembershipRole))
    secret: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.pending)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome), default=Outcome.pending)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    # Counted from the ballots when the vote closes; never typed in.
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    elected_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    session: Mapped[Session] = relationship(back_populates="items")
    proposal: Mapped[Proposal | None] = relationship()
    candidates: Mapped[list[Candidate]] = relationship(cascade="all, delete-orphan", order_by="Candidate.id")
    elected: Mapped[Account | None] = relationship()

    @property
    def tally(self) -> dict[str, int]:
        return {"for": self.votes_for, "against": self.votes_against, "abstain": self.votes_abstain}


class Candidate(db.Model):
    __tablename__ = "election_candidates"
    __table_args__ = (UniqueConstraint("item_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    votes: Mapped[int] = mapped_column(default=0)

    account: Mapped[Account] = relationship()


def _random_id() -> str:
    return uuid.uuid4().hex


class BallotReceipt(db.Model):
    """That a member voted on an item — one per member, enforced by the database — but not how."""

    __tablename__ = "ballot_receipts"
    __table_args__ = (UniqueConstraint("item_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    method: Mapped[VoteMethod] = mapped_column(enum_column(VoteMethod))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class Ballot(db.Model):
    """How a vote went. In a secret ballot ``voter_id`` stays empty and the random key carries no order,
    so a choice cannot be traced back to a receipt."""

    __tablename__ = "ballots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    choice: Mapped[Choice | None] = mapped_column(enum_column(Choice))
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("election_candidates.id"))

    voter: Mapped[Account | None] = relationship()


class Feedback(db.Model):
    """A member's three-face answer after a session: did you feel heard?"""

    __tablename__ = "session_feedback"
    __table_args__ = (UniqueConstraint("session_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    face: Mapped[Face] = mapped_column(enum_column(Face))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class MinutesFile(db.Model):
    __tablename__ = "minutes_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    description: Mapped[str] = mapped_column(String(200), default="")

    file: Mapped[StoredFile] = relationship()
