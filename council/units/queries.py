"""Reading units."""

from __future__ import annotations

from sqlalchemy import bindparam

from council.extensions import db
from council.loading import prepared
from council.plan.models import PlanTask
from council.plan.queries import current_tasks
from council.units.models import Unit


def led_tasks(unit: Unit) -> list[PlanTask]:
    """The current plan's tasks the unit leads, in the plan's order."""
    return list(db.session.scalars(prepared("led-tasks", lambda: current_tasks().where(
        PlanTask.lead_units.any(Unit.id == bindparam("unit")))), {"unit": unit.id}))
