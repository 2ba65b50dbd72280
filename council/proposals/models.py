from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.plan.models import PlanTask
from council.uploads.models import StoredFile


class ProposalState(LabeledEnum):
    draft = "draft", _l("Draft"), _l("Not sent yet")
    submitted = "submitted", _l("Waiting to be checked"), _l("An adult is reading it")
    returned = "returned", _l("Sent back for changes"), _l("Sent back to you to change")
    rejected = "rejected", _l("Not taken up"), _l("Not taken up this time")
    published = "published", _l("Public"), _l("Everyone can read it now")
    withdrawn = "withdrawn", _l("Withdrawn"), _l("Taken back by its author")
    on_agenda = "on_agenda", _l("On the council's agenda"), _l("The council will talk about it")
    adopted = "adopted", _l("Adopted"), _l("The council said yes")
    not_adopted = "not_adopted", _l("Not adopted"), _l("The council said no")
    forwarded = "forwarded", _l("Forwarded to the council above"), _l("Sent on to a bigger council")
    routed = "routed", _l("With the responsible units"), _l("The offices in charge are working on it")
    answered = "answered", _l("Answered"), _l("The offices in charge have answered")
    reopened = "reopened", _l("Reopened"), _l("The children asked for a better answer")
    closed = "closed", _l("Closed"), _l("Finished")


S = ProposalState
# Every edge of the proposal's life (DESIGN §5). ``move`` refuses anything not listed here.
TRANSITIONS: dict[ProposalState, set[ProposalState]] = {
    S.draft: {S.submitted, S.withdrawn},
    S.submitted: {S.published, S.returned, S.rejected, S.withdrawn},
    S.returned: {S.submitted, S.withdrawn},
    S.published: {S.on_agenda, S.withdrawn},
    S.on_agenda: {S.adopted, S.not_adopted, S.published},
    S.adopted: {S.forwarded, S.routed},
    S.forwarded: {S.published},
    S.routed: {S.answered},
    S.answered: {S.reopened, S.closed},
    S.reopened: {S.routed},
    S.rejected: set(),
    S.withdrawn: set(),
    S.not_adopted: set(),
    S.closed: set(),
}
# What anyone may read; drafts, ideas being checked, sent back, not taken up or withdrawn stay private.
PUBLIC_STATES = frozenset({S.published, S.on_agenda, S.adopted, S.not_adopted, S.forwarded, S.routed,
                           S.answered, S.reopened, S.closed})
EDITABLE_STATES = frozenset({S.draft, S.returned})


class RejectReason(LabeledEnum):
    duplicate = "duplicate", _l("The same idea is already here")
    wrong_council = "wrong_council", _l("Another council should take this")
    inappropriate = "inappropriate", _l("Not suitable for the platform")


TEXT_FIELDS = ("title", "problem", "place", "idea", "who_helps")
# An idea's milestones kept on the idea itself: the event an idea's move records → the column dated by its first.
MILESTONES = {"proposal_adopted": "adopted_at", "proposal_routed": "routed_at"}


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_state_created", "state", "created_at"),
        Index("ix_proposals_state_support", "state", "support_count"),
        # The public list's two orders, read backwards from the cursor of the page before (keyset pagination).
        Index("ix_proposals_published_id", "published_at", "id"),
        Index("ix_proposals_support_id", "support_count", "id"),
        Index("ix_proposals_answered_id", "answered_at", "id"),  # the newest answers on the home page
        # A year's ideas with every column the statistics count, so that counting them reads the index alone.
        Index("ix_proposals_statistics", "submitted_at", "council_id", "plan_task_id", "state", "hidden_at",
              "answered_at", "adopted_at", "routed_at", "id"),
        # Covers the public list's count (state, not hidden, dated) so it reads the index alone: a million ideas
        # counted in 70 ms instead of 1.8 s on SQLite, which every worker does once a minute (refreshed ahead).
        Index("ix_proposals_public", "state", "hidden_at", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[ProposalState] = mapped_column(enum_column(ProposalState), default=ProposalState.draft)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)  # where it was raised
    current_council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    on_behalf: Mapped[bool] = mapped_column(default=False)  # a teacher wrote it down for children
    title: Mapped[str] = mapped_column(String(80), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    idea: Mapped[str] = mapped_column(Text, default="")
    who_helps: Mapped[str] = mapped_column(Text, default="")
    plan_task_id: Mapped[int | None] = mapped_column(ForeignKey("plan_tasks.id"), index=True)
    topic_chosen: Mapped[bool] = mapped_column(default=False)  # "other" is a choice too
    wizard_step: Mapped[int] = mapped_column(default=1)
    support_count: Mapped[int] = mapped_column(default=0)
    state_reason: Mapped[str | None] = mapped_column(Text)  # the reason given with the latest decision
    reject_reason: Mapped[RejectReason | None] = mapped_column(enum_column(RejectReason))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    suggested_council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Units answer in rounds: round 2 after the children reopened the idea (it reopens once).
    route_round: Mapped[int] = mapped_column(default=1, server_default="1")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The first time a council adopted it and the first time it was sent to units (``MILESTONES``, set by
    # ``operations.move`` with the event): the statistics count them from these columns, not from the event log.
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while flagged content waits for an adult's review, and kept when it is removed (council/reports).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    council: Mapped[Council] = relationship(foreign_keys=[council_id])
    current_council: Mapped[Council] = relationship(foreign_keys=[current_council_id])
    created_by: Mapped[Account] = relationship(foreign_keys=[created_by_id])
    plan_task: Mapped[PlanTask | None] = relationship()
    duplicate_of: Mapped[Proposal | None] = relationship(remote_side=[id], foreign_keys=[duplicate_of_id])
    suggested_council: Mapped[Council | None] = relationship(foreign_keys=[suggested_council_id])
    author_links: Mapped[list[ProposalAuthor]] = relationship(
        back_populates="proposal", order_by="ProposalAuthor.position", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="proposal", order_by="Attachment.id", cascade="all, delete-orphan")
    edits: Mapped[list[ProposalEdit]] = relationship(
        back_populates="proposal", order_by="ProposalEdit.id", cascade="all, delete-orphan")

    @property
    def authors(self) -> list[Account]:
        return [link.account for link in self.author_links]

    @hybrid_property
    def is_public(self) -> bool:
        """The one visibility rule: a public state, and not hidden by children's flags. Also a SQL
        condition: ``select(Proposal).where(Proposal.is_public)``."""
        return self.state in PUBLIC_STATES and self.hidden_at is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return and_(cls.state.in_(PUBLIC_STATES), cls.hidden_at.is_(None))

    @hybrid_property
    def was_adopted(self) -> bool:
        """A council adopted it at some point, whatever happened after (its ``adopted_at``). Also a SQL condition,
        which the statistics count (council/stats/figures.py)."""
        return self.adopted_at is not None

    @was_adopted.inplace.expression
    @classmethod
    def _was_adopted_expression(cls):
        return cls.adopted_at.is_not(None)

    @property
    def images(self) -> list[Attachment]:
        return [a for a in self.attachments if a.file.kind.value == "image"]

    @property
    def voices(self) -> list[Attachment]:
        return [a for a in self.attachments if a.file.kind.value == "voice"]


class ProposalAuthor(db.Model):
    __tablename__ = "proposal_authors"
    __table_args__ = (UniqueConstraint("proposal_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    proposal: Mapped[Proposal] = relationship(back_populates="author_links")
    account: Mapped[Account] = relationship()


class Attachment(db.Model):
    """A drawing, photo or voice note that belongs to an idea."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    description: Mapped[str] = mapped_column(String(200), default="")  # also the picture's alt text
    transcription: Mapped[str | None] = mapped_column(Text)  # of a voice note, by an adult
    transcribed_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()
    transcribed_by: Mapped[Account | None] = relationship()


class EditStatus(LabeledEnum):
    suggested = "suggested", _l("Suggested")
    accepted = "accepted", _l("Taken by the author")
    declined = "declined", _l("Not taken")
    applied = "applied", _l("Changed by the facilitator")


class ProposalEdit(db.Model):
    """A facilitator's change to a child's words, kept beside the original (DESIGN §7.8)."""

    __tablename__ = "proposal_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    original: Mapped[str] = mapped_column(Text)
    edited: Mapped[str] = mapped_column(Text)
    status: Mapped[EditStatus] = mapped_column(enum_column(EditStatus))
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    proposal: Mapped[Proposal] = relationship(back_populates="edits")
    edited_by: Mapped[Account] = relationship()


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class SearchTerm(db.Model):
    """Overlapping two-character pieces of an idea's text: finds 公园 or 路灯 with an index, not a scan."""

    __tablename__ = "proposal_search_terms"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_proposal_search_terms_term", "term", "proposal_id"),)


class ScreeningWord(db.Model):
    """A word the coordinating office wants facilitators to look at twice before publishing."""

    __tablename__ = "screening_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(64), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class RescuedWords(db.Model):
    """Words posted to the idea wizard when the sign-in had lapsed, kept until the same browser signs in."""

    __tablename__ = "rescued_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    fields: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
