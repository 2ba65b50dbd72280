"""Help requests (我需要帮助) and flags on published content (举报)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS, REASON_ENUMS, STATE_ENUMS
from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db

__all__ = ["ContentFlag", "FlagReview", "HelpRequest"]

ACTION_LABELS.update({
    "help_requested": _l("Help asked for"),
    "help_request_seen": _l("Help request seen"),
    "help_request_closed": _l("Help request closed"),
    "content_flagged": _l("Content reported"),
    "content_hidden": _l("Content hidden after reports"),
    "flags_kept": _l("Reported content kept"),
    "flags_removed": _l("Reported content removed"),
})


class HelpKind(LabeledEnum):
    """What happened, in a child's words; each has a picture on the help page."""

    adult = "adult", _l("I need an adult to help me")
    page = "page", _l("Something on this page is not OK")
    unsafe = "unsafe", _l("Someone is being unkind or I feel unsafe")
    other = "other", _l("Something else")


HELP_ICONS = {HelpKind.adult: "heart-handshake", HelpKind.page: "alert-triangle", HelpKind.unsafe: "shield-heart",
              HelpKind.other: "message"}


class HelpStatus(LabeledEnum):
    open = "open", _l("Sent: an adult will look at it soon")
    seen = "seen", _l("An adult has seen it")
    closed = "closed", _l("Done")


HELP_TRANSITIONS: dict[HelpStatus, set[HelpStatus]] = {
    HelpStatus.open: {HelpStatus.seen, HelpStatus.closed},
    HelpStatus.seen: {HelpStatus.closed},
    HelpStatus.closed: set(),
}
STATE_ENUMS["help_requests"] = HelpStatus


class HelpRequest(db.Model):
    """A child (or a visitor) asked for an adult. The message is private: only the council's facilitators
    read it, and each time they do it is written to the event log."""

    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_council_status", "council_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)  # None: a visitor
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"))  # None: the coordinating office
    kind: Mapped[HelpKind] = mapped_column(enum_column(HelpKind))
    message: Mapped[str] = mapped_column(Text, default="")
    page_path: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[HelpStatus] = mapped_column(enum_column(HelpStatus), default=HelpStatus.open)
    # One per form shown: a second tap on "Send" finds the first request instead of making another.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    note: Mapped[str | None] = mapped_column(Text)  # the adult's words to the child on closing
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])
    council: Mapped[Council | None] = relationship()
    handled_by: Mapped[Account | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def icon(self) -> str:
        return HELP_ICONS[self.kind]


class FlagReason(LabeledEnum):
    personal_info = "personal_info", _l("It shows someone's personal information")
    unkind = "unkind", _l("It has unkind words")
    not_true = "not_true", _l("It is not true")
    other = "other", _l("Something else")

    @property
    def icon(self) -> str:
        """The picture beside the reason, for children who choose by picture."""
        return {"personal_info": "id-badge", "unkind": "mood-angry", "not_true": "question-mark",
                "other": "message"}[self.value]


REASON_ENUMS["content_flagged"] = FlagReason  # the event keeps the reason's code


class FlagStatus(LabeledEnum):
    open = "open", _l("Waiting for an adult")
    kept = "kept", _l("Checked: it stays")
    removed = "removed", _l("Checked: taken down")


class ContentFlag(db.Model):
    """One account's report on one published item. Generic: the item is named by its type (a key of
    ``council.reports.targets.TARGETS``) and id, so any feature can make its content flaggable."""

    __tablename__ = "content_flags"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "account_id"),  # once per account per item, ever
        Index("ix_content_flags_target_status", "target_type", "target_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int]
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason))
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[FlagStatus] = mapped_column(enum_column(FlagStatus), default=FlagStatus.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship()


class FlagReview(db.Model):
    """A facilitator's decision on the open flags of one item: keep it (flags dismissed) or remove it
    (it stays hidden, with a reason its authors read)."""

    __tablename__ = "flag_reviews"
    __table_args__ = (Index("ix_flag_reviews_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int]
    decision: Mapped[FlagStatus] = mapped_column(enum_column(FlagStatus))
    reason: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[int] = mapped_column(default=0)  # how many open flags this decision settled
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    decided_by: Mapped[Account] = relationship()
