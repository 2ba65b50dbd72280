"""Guardian data requests (export, deletion) and the authorships an erased child left behind."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS, STATE_ENUMS
from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.proposals.models import Proposal

__all__ = ["DataRequest", "AnonymousAuthor"]

ACTION_LABELS.update({
    "data_request_received": _l("Guardian's data request recorded"),
    "data_request_done": _l("Guardian's data request carried out"),
    "data_request_refused": _l("Guardian's data request refused"),
    "data_request_cancelled": _l("Automatic deletion cancelled (consent given again)"),
    "child_data_exported": _l("Child's data downloaded"),
    "child_data_erased": _l("Child's data deleted"),
})


class RequestKind(LabeledEnum):
    export = "export", _l("A copy of the child's data")
    deletion = "deletion", _l("Deleting the child's data")


class RequestChannel(LabeledEnum):
    paper = "paper", _l("On paper")
    in_person = "in_person", _l("In person")
    phone = "phone", _l("By phone")
    online = "online", _l("Online")
    platform = "platform", _l("By the platform (retention rule)")


# The channels a person can choose; ``platform`` is only for requests the purge opens itself.
HUMAN_CHANNELS = (RequestChannel.paper, RequestChannel.in_person, RequestChannel.phone, RequestChannel.online)


class RequestStatus(LabeledEnum):
    received = "received", _l("Received")
    done = "done", _l("Done")
    refused = "refused", _l("Refused")
    cancelled = "cancelled", _l("Cancelled")


STATE_ENUMS["data_requests"] = RequestStatus


class DataRequest(db.Model):
    """A guardian's request for a copy of a child's data, or for its deletion; also the deletions the
    platform opens itself (consent refused or withdrawn, an account unused too long)."""

    __tablename__ = "data_requests"
    __table_args__ = (Index("ix_data_requests_status_kind", "status", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    # The child's home council when the request came in: who may handle it, even after deletion.
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.received)
    requester_name: Mapped[str] = mapped_column(String(64), default="")
    relation: Mapped[str] = mapped_column(String(32), default="")
    channel: Mapped[RequestChannel] = mapped_column(enum_column(RequestChannel))
    automatic: Mapped[bool] = mapped_column(default=False)  # opened by the platform, not by a person
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str | None] = mapped_column(Text)  # why it was refused or cancelled
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # deletion: when the purge carries it out
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    child: Mapped[Account] = relationship(foreign_keys=[child_id])
    council: Mapped[Council | None] = relationship()
    recorded_by: Mapped[Account | None] = relationship(foreign_keys=[recorded_by_id])
    handled_by: Mapped[Account | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def is_open(self) -> bool:
        return self.status is RequestStatus.received


class AnonymousAuthor(db.Model):
    """Where an erased child's authorship was: the idea still counts the author, who has no account."""

    __tablename__ = "anonymous_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


# Read beside the named authors wherever an idea is listed: eager-loaded with them, one query for a whole page.
Proposal.anonymous_author_links = relationship(AnonymousAuthor, order_by=AnonymousAuthor.position, viewonly=True)
