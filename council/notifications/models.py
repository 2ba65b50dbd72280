from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.db import BigID, UTCDateTime
from council.extensions import db

ACTION_LABELS.update({"notification_preferences_changed": _l("Mail choices changed")})


class Notification(db.Model):
    """One message for one account. Its words are made when it is read, in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_account_unread", "account_id", "read_at"),
                      Index("ix_notifications_digest_due", "account_id", sqlite_where=text("digest_due"),
                            postgresql_where=text("digest_due")))

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Waiting for the reader's daily digest mail (an adult who chose a digest for this kind).
    digest_due: Mapped[bool] = mapped_column(default=False, server_default=false())

    proposal = relationship("Proposal")
    account = relationship("Account")


class NotificationPreference(db.Model):
    """How an adult gets one kind of message by mail: at once, in a daily digest, or not at all (in the app it
    always arrives). No row means at once."""

    __tablename__ = "notification_preferences"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(16))


class OutboxMail(db.Model):
    """One mail waiting to leave, written in the same transaction as the change it tells about; `flask --app
    council send-mail` (cron, every minute) sends it. Worded when queued, in the recipient's language.

    Waiting: ``sent_at`` is empty and ``attempts`` is below MAIL_MAX_ATTEMPTS; it goes at ``next_attempt_at``.
    Given up: ``sent_at`` is empty and ``attempts`` has reached MAIL_MAX_ATTEMPTS; ``last_error`` says why."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "next_attempt_at", sqlite_where=text("sent_at IS NULL"),
                            postgresql_where=text("sent_at IS NULL")),)

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(48))  # a notification kind, or what else queued it
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Due from this instant; while a run is sending it, pushed a lease ahead so an overlapping run leaves it.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
