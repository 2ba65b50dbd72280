from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.extensions import db
from council.plan.models import PlanTask
from council.units.models import Unit

bp = Blueprint("units", __name__, url_prefix="/units")


def led_tasks(unit: Unit) -> list[PlanTask]:
    return list(db.session.scalars(
        select(PlanTask).where(PlanTask.lead_units.any(Unit.id == unit.id)).order_by(PlanTask.no)))


@bp.get("/")
def index():
    units = db.session.scalars(select(Unit).options(selectinload(Unit.members)).order_by(Unit.kind, Unit.id))
    return render_template("units/index.html", units=list(units))


@bp.get("/<int:unit_id>")
def show(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    return render_template("units/show.html", unit=unit, tasks=led_tasks(unit))
