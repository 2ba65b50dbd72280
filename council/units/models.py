from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.councils.models import Tier
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.i18n import BilingualName

ACTION_LABELS.update({
    "unit_added": _l("Responsible unit added"),
    "unit_switched_off": _l("Responsible unit switched off"),
    "unit_switched_on": _l("Responsible unit switched on again"),
})


class UnitKind(LabeledEnum):
    department = "department", _l("Department")
    # Named in the plan but not one body: tasks cannot be sent to them as such.
    mechanism = "mechanism", _l("Coordination mechanism")
    group = "group", _l("Group of authorities")
    office = "office", _l("Town or community office")


unit_group_members = Table(
    "unit_group_members",
    db.metadata,
    Column("group_id", ForeignKey("units.id"), primary_key=True),
    Column("member_id", ForeignKey("units.id"), primary_key=True),
)


class Unit(BilingualName, db.Model):
    """A responsible unit (承办单位): a department from the plan, or a town/community office."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), default=Tier.district)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Whom the office reaches at the unit (its setup file, council/setup/): for the office only, never public.
    contact: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    # For a group such as 区财政局等各行业主管部门: the named departments it includes.
    members: Mapped[list[Unit]] = relationship(
        secondary=unit_group_members,
        primaryjoin=lambda: Unit.id == unit_group_members.c.group_id,
        secondaryjoin=lambda: Unit.id == unit_group_members.c.member_id,
        order_by=lambda: Unit.id,
    )
    council = relationship("Council")

    @property
    def routable(self) -> bool:
        """Only a single body can receive and answer a task."""
        return self.kind in (UnitKind.department, UnitKind.office)

    def __repr__(self) -> str:
        return f"<Unit {self.name}>"


class UnitStaff(db.Model):
    """An adult account working for a unit, for a period."""

    __tablename__ = "unit_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    unit: Mapped[Unit] = relationship()
    account = relationship("Account", back_populates="unit_roles")

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
