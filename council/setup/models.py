"""The office's setup imports: the councils, units and adults of its spreadsheets, read and checked, waiting for
its yes; applied at most once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.db import UTCDateTime
from council.extensions import db

__all__ = ["SetupImport"]

ACTION_LABELS.update({
    "setup_imported": _l("Setup files applied"),
    "council_changed": _l("Council changed"),
    "unit_changed": _l("Responsible unit changed"),
    "account_changed": _l("Account changed"),
    "unit_staff_changed": _l("Unit staff term changed"),
    "membership_changed": _l("Council role term changed"),
    "system_role_given": _l("Made staff of the coordinating office"),
})

KINDS = ("councils", "units", "adults")  # in the order they are applied: an adult's council may be new


class SetupImport(db.Model):
    """The rows of one upload (up to one file of each kind), each with its problems and what applying it does."""

    __tablename__ = "setup_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    filenames: Mapped[str] = mapped_column(String(400))
    # {"councils": [row, …], "units": […], "adults": […]}: see council/setup/operations.py for a row's shape.
    rows: Mapped[dict] = mapped_column(JSON)
    # {"councils": {"create": n, "change": n, "same": n, "problem": n}, …}
    summary: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    created_by: Mapped[Account] = relationship(foreign_keys=[created_by_id])
    applied_by: Mapped[Account | None] = relationship(foreign_keys=[applied_by_id])

    @property
    def has_problems(self) -> bool:
        return any(row["problems"] for kind in KINDS for row in self.rows.get(kind, []))

    def count(self, status: str) -> int:
        return sum(self.summary.get(kind, {}).get(status, 0) for kind in KINDS)
