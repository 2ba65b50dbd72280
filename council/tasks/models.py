"""Tasks (承办任务): one per responsible unit for an adopted idea, with working-day due dates."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, and_, case, or_
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS, STATE_ENUMS
from council.calendar import clock
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.proposals.models import Proposal
from council.units.models import Unit
from council.uploads.models import StoredFile


class TaskState(LabeledEnum):
    dispatched = "dispatched", _l("Sent to the unit"), _l("Given to the office in charge")
    acknowledged = "acknowledged", _l("Received by the unit"), _l("The office has got it")
    returned = "returned", _l("Sent back by the unit"), _l("Being passed to the right office")
    in_progress = "in_progress", _l("Being worked on"), _l("They are working on it")
    replied = "replied", _l("Answered"), _l("They have answered")
    withdrawn = "withdrawn", _l("Taken back by the coordinating office"), _l("No longer with this office")


T = TaskState
TASK_TRANSITIONS: dict[TaskState, set[TaskState]] = {
    T.dispatched: {T.acknowledged, T.returned, T.withdrawn},
    T.acknowledged: {T.in_progress, T.replied, T.withdrawn},
    T.in_progress: {T.replied, T.withdrawn},
    # Given again to the same unit by the office, with a note that answers the unit's reason (``redispatch``).
    T.returned: {T.dispatched},
    T.replied: set(),
    T.withdrawn: set(),
}
ACTION_LABELS.update({"task_redispatched": _l("Task sent to the unit again")})
STATE_ENUMS["task_redispatched"] = TaskState
OPEN_STATES = frozenset({T.dispatched, T.acknowledged, T.in_progress})
OWES_REPLY = frozenset({T.acknowledged, T.in_progress})  # acknowledged: the reply is owed next


class TaskRole(LabeledEnum):
    lead = "lead", _l("Lead unit")
    co = "co", _l("Co-unit")


class Grade(LabeledEnum):
    """The grading people's congresses use for answers to motions."""

    A = "A", _l("A · Solved"), _l("It is done!")
    B = "B", _l("B · Being done or planned"), _l("They are doing it, or have planned it")
    C = "C", _l("C · To be done later"), _l("They will do it later")
    D = "D", _l("D · Not possible"), _l("They cannot do it, and say why")


class ExtensionState(LabeledEnum):
    none = "none", _l("No extension")
    requested = "requested", _l("Extension asked for")
    approved = "approved", _l("Extension granted")
    refused = "refused", _l("Extension refused")


class DeadlineStatus(LabeledEnum):
    """Where a task stands against its deadline, as pages say it (``Task.deadline_status``)."""

    on_time = "on_time", _l("On time"), _l("There is still time")
    overdue = "overdue", _l("Overdue"), _l("Late: the answer should be here already")
    very_overdue = "very_overdue", _l("Very overdue"), _l("Very late")
    answered_on_time = "answered_on_time", _l("Answered on time"), _l("Answered in time")
    answered_late = "answered_late", _l("Answered late"), _l("Answered, but late")


class RatingValue(LabeledEnum):
    satisfied = "satisfied", _l("Satisfied"), _l("Happy with the answer")
    partly = "partly", _l("Partly satisfied"), _l("A bit happy with the answer")
    not_satisfied = "not_satisfied", _l("Not satisfied"), _l("Not happy with the answer")

    @property
    def icon(self) -> str:
        """The face beside the word, for children who choose by picture."""
        return {"satisfied": "mood-happy", "partly": "mood-neutral", "not_satisfied": "mood-sad"}[self.value]


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("proposal_id", "unit_id", "round"),
        Index("ix_tasks_unit_state", "unit_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[TaskRole] = mapped_column(enum_column(TaskRole))
    round: Mapped[int] = mapped_column(default=1)  # 2 after the children reopened the idea
    state: Mapped[TaskState] = mapped_column(enum_column(TaskState), default=TaskState.dispatched)
    note: Mapped[str] = mapped_column(Text, default="")  # the coordinator's words to the unit
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    dispatched_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # Stored at dispatch on the official calendar, so a later calendar change never moves a deadline.
    acknowledge_due: Mapped[date]
    reply_due: Mapped[date] = mapped_column(index=True)
    very_overdue_on: Mapped[date]
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_late: Mapped[bool | None]  # frozen at the moment of acknowledging
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_late: Mapped[bool | None]  # frozen at the moment of replying
    workdays_to_reply: Mapped[int | None]
    grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=2))
    summary: Mapped[str | None] = mapped_column(Text)  # for children, in plain words
    reply_text: Mapped[str | None] = mapped_column(Text)  # the full answer, for adults
    reason: Mapped[str | None] = mapped_column(Text)  # why not possible (grade D)
    extension_state: Mapped[ExtensionState] = mapped_column(enum_column(ExtensionState),
                                                            default=ExtensionState.none)
    extension_until: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extensions: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    proposal: Mapped[Proposal] = relationship()
    unit: Mapped[Unit] = relationship()
    dispatched_by: Mapped[Account] = relationship()
    updates: Mapped[list[TaskUpdate]] = relationship(back_populates="task", order_by="TaskUpdate.id",
                                                     cascade="all, delete-orphan")
    photos: Mapped[list[TaskPhoto]] = relationship(cascade="all, delete-orphan", order_by="TaskPhoto.id")

    # Overdue is derived, never stored (DESIGN §6), and this is its one home: the task page and reminders ask an
    # object, the desk's order and filter and the supervision counts put the same rule into their SQL.
    @hybrid_property
    def owed_on(self) -> date:
        """The date of the step the unit owes next: acknowledging while it is sent, else answering."""
        return self.acknowledge_due if self.state is T.dispatched else self.reply_due

    @owed_on.inplace.expression
    @classmethod
    def _owed_on_expression(cls):
        return case((cls.state == T.dispatched, cls.acknowledge_due), else_=cls.reply_due)

    @hybrid_method
    def is_overdue(self, today: date) -> bool:
        """Past the due date of the step the unit owes now: acknowledging, or replying."""
        if self.state is T.dispatched:
            return today > self.acknowledge_due
        return self.state in OWES_REPLY and today > self.reply_due

    @is_overdue.expression
    def is_overdue(cls, today):
        return or_(and_(cls.state == T.dispatched, cls.acknowledge_due < today),
                   and_(cls.state.in_(list(OWES_REPLY)), cls.reply_due < today))

    @hybrid_method
    def is_very_overdue(self, today: date) -> bool:
        return self.state in OPEN_STATES and today > self.very_overdue_on

    @is_very_overdue.expression
    def is_very_overdue(cls, today):
        return and_(cls.state.in_(list(OPEN_STATES)), cls.very_overdue_on < today)

    def deadline_status(self, today: date) -> DeadlineStatus | None:
        """The deadline in one word for the pages (None for a task no longer owed: sent back or taken back)."""
        if self.state is T.replied:
            return DeadlineStatus.answered_late if self.replied_late else DeadlineStatus.answered_on_time
        if self.state not in OPEN_STATES:
            return None
        if self.is_very_overdue(today):
            return DeadlineStatus.very_overdue
        return DeadlineStatus.overdue if self.is_overdue(today) else DeadlineStatus.on_time


class TaskUpdate(db.Model):
    """Progress a unit posts; children read it on the idea page."""

    __tablename__ = "task_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    task: Mapped[Task] = relationship(back_populates="updates")


class TaskPhoto(db.Model):
    __tablename__ = "task_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    description: Mapped[str] = mapped_column(String(200), default="")

    file: Mapped[StoredFile] = relationship()


class Rating(db.Model):
    """A child's verdict on the answer to an idea they raised or supported; one per child per round."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("proposal_id", "account_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    round: Mapped[int] = mapped_column(default=1)
    value: Mapped[RatingValue] = mapped_column(enum_column(RatingValue))
    comment: Mapped[str] = mapped_column(Text, default="")
    by_author: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class UnitToken(db.Model):
    """A key another government system uses to work a unit's tasks through the API; only its hash is kept."""

    __tablename__ = "unit_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit] = relationship()


class Reminder(db.Model):
    """What `flask remind` already sent, so it never sends the same reminder twice."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))  # e.g. "task:17:reply_due_soon" or "digest:2026-11-29"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
