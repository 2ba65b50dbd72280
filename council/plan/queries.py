"""Reading the action plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.extensions import db
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask


def current_plan() -> Plan | None:
    """The newest version of the plan, with its areas, actions, tasks and their lead units."""
    return db.session.scalar(
        select(Plan)
        .order_by(Plan.version.desc())
        .options(
            selectinload(Plan.areas)
            .selectinload(PlanArea.actions)
            .selectinload(PlanAction.tasks)
            .selectinload(PlanTask.lead_units)
        )
    )
