"""Reading units."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from council.extensions import db
from council.loading import prepared
from council.plan.models import PlanTask
from council.units.models import Unit


def led_tasks(unit: Unit) -> list[PlanTask]:
    """The plan's tasks the unit leads, in the plan's order."""
    return list(db.session.scalars(prepared("led-tasks", lambda: select(PlanTask).where(
        PlanTask.lead_units.any(Unit.id == bindparam("unit"))).order_by(PlanTask.no)), {"unit": unit.id}))
