"""Classes with their rosters, children's picture sign-in, roster imports waiting for a yes, consent invitations."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.councils.models import Council
from council.db import UTCDateTime
from council.extensions import db

__all__ = ["ChildSignIn", "ClassGroup", "ConsentInvitation", "RosterImport"]

ACTION_LABELS.update({
    "class_created": _l("Class created"),
    "roster_imported": _l("Class roster imported"),
    "picture_code_issued": _l("New picture code given"),
    "picture_sign_in_failed": _l("Wrong picture code"),
    "picture_sign_in_locked": _l("Picture sign-in locked"),
    "class_sign_in_locked": _l("Class sign-in paused"),
    "picture_sign_in_reset": _l("Picture sign-in unlocked"),
    "class_sign_in_reset": _l("Class sign-in unlocked"),
    "consent_invitation_issued": _l("Consent link for a guardian made"),
    "password_changed": _l("Password changed"),
})


class ClassGroup(db.Model):
    """A school class: the children a teacher imported, and the code they type on a classroom tablet."""

    __tablename__ = "class_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    school: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(64))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    # Wrong picture codes of the whole class in the current window; too many pause the class sign-in.
    failures: Mapped[int] = mapped_column(default=0)
    failures_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    council: Mapped[Council] = relationship()
    teacher: Mapped[Account] = relationship()
    sign_ins: Mapped[list[ChildSignIn]] = relationship(back_populates="class_group", order_by="ChildSignIn.id")


class ChildSignIn(db.Model):
    """One child's picture code, kept under SECRET_KEY (``rosters.operations._seal``): the sealed copy is for
    printing the card again, ``code_check`` (an HMAC under the key) tells whether a code is the child's."""

    __tablename__ = "child_sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("class_groups.id"), index=True)
    avatar: Mapped[int] = mapped_column(default=0)  # the picture on the child's own tile
    code_hash: Mapped[str] = mapped_column(String(256))  # a code set before 0024: its password hash, until next used
    code_salt: Mapped[str] = mapped_column(String(32))
    code_sealed: Mapped[str] = mapped_column(String(16))
    code_check: Mapped[str | None] = mapped_column(String(64))  # None for a code set before migration 0024
    failed_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    code_issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    account: Mapped[Account] = relationship()
    class_group: Mapped[ClassGroup] = relationship(back_populates="sign_ins")


class RosterImport(db.Model):
    """A parsed roster file waiting for the teacher's yes; imported at most once."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("class_groups.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    class_group: Mapped[ClassGroup] = relationship()

    @property
    def has_problems(self) -> bool:
        return any(row["problems"] for row in self.rows)


class ConsentInvitation(db.Model):
    """A guardian's one-time link to the consent page. Only a hash of the code is kept for finding it."""

    __tablename__ = "consent_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # replaced by a newer one

    child: Mapped[Account] = relationship(foreign_keys=[child_id])
