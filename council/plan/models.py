"""The district action plan (周政办字〔2023〕8号): areas → actions → tasks with lead units."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.db import UTCDateTime
from council.extensions import db
from council.i18n import BilingualName, english_requested
from council.units.models import Unit

ACTION_LABELS.update({
    "plan_applied": _l("New version of the plan applied"),
    "plan_tasks_mapped": _l("Earlier plan tasks mapped to the current plan"),
})


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # Versions count up from 1; the highest is the current plan (council/plan/queries.py, ``current_plan_id``).
    version: Mapped[int] = mapped_column(index=True, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(300))
    document_no: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date]
    # sha256 of the plan's areas, actions, tasks, lead units and targets as canonical JSON
    # (council/plan/operations.py ``fingerprint``): the same content applied twice is refused. None for a plan
    # loaded by the seed, whose fingerprint is worked out from its rows when needed.
    fingerprint: Mapped[str | None] = mapped_column(String(64))

    areas: Mapped[list[PlanArea]] = relationship(back_populates="plan", order_by="PlanArea.no")

    @property
    def display_title(self) -> str:
        return self.title_en if self.title_en and english_requested() else self.title


class PlanArea(BilingualName, db.Model):
    __tablename__ = "plan_areas"
    __table_args__ = (UniqueConstraint("plan_id", "no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    no: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(200))

    plan: Mapped[Plan] = relationship(back_populates="areas")
    actions: Mapped[list[PlanAction]] = relationship(back_populates="area", order_by="PlanAction.no")


class PlanAction(BilingualName, db.Model):
    __tablename__ = "plan_actions"
    __table_args__ = (UniqueConstraint("area_id", "no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("plan_areas.id"))
    no: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(200))

    area: Mapped[PlanArea] = relationship(back_populates="actions")
    tasks: Mapped[list[PlanTask]] = relationship(back_populates="action", order_by="PlanTask.no")


plan_task_lead_units = Table(
    "plan_task_lead_units",
    db.metadata,
    Column("task_id", ForeignKey("plan_tasks.id"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
    # The order the plan names them in: the first is the one that leads.
    Column("position", Integer, nullable=False),
)


class PlanTask(db.Model):
    __tablename__ = "plan_tasks"
    __table_args__ = (UniqueConstraint("action_id", "no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id"))
    no: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)

    action: Mapped[PlanAction] = relationship(back_populates="tasks")
    successor: Mapped[PlanTaskSuccessor | None] = relationship(
        primaryjoin="PlanTask.id == PlanTaskSuccessor.old_task_id", viewonly=True, uselist=False)
    lead_units: Mapped[list[Unit]] = relationship(
        secondary=plan_task_lead_units, order_by=plan_task_lead_units.c.position
    )

    @property
    def display_title(self) -> str:
        return self.title_en if self.title_en and english_requested() else self.title

    @hybrid_property
    def plan_id(self) -> int:
        """The plan version the task belongs to (through its action and area)."""
        return self.action.area.plan_id

    @plan_id.inplace.expression
    @classmethod
    def _plan_id_expression(cls):
        return (select(PlanArea.plan_id).join(PlanAction, PlanAction.area_id == PlanArea.id)
                .where(PlanAction.id == cls.action_id).scalar_subquery())

    @property
    def display_text(self) -> str:
        return self.text_en if self.text_en and english_requested() else self.text

    def suggested_units(self) -> list[Unit]:
        """Units a task tagged with this plan task may be routed to: groups open into their members."""
        seen: dict[int, Unit] = {}
        for unit in self.lead_units:
            for candidate in ([unit] if unit.routable else unit.members):
                seen.setdefault(candidate.id, candidate)
        return list(seen.values())


class PlanTaskSuccessor(db.Model):
    """An old version's task that continues in a task of a newer version, as the office mapped it: each old task
    continues in at most one newer task (its primary key). Ideas tagged with the old task count under the task
    it continues in (council/plan/queries.py ``lineage``)."""

    __tablename__ = "plan_task_successors"

    old_task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id"), primary_key=True)
    new_task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id"), index=True)
    mapped_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    mapped_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    new_task: Mapped[PlanTask] = relationship(foreign_keys=[new_task_id])
