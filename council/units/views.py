from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.calendar import clock
from council.extensions import db
from council.tasks import stats
from council.units.models import Unit
from council.units.queries import led_tasks

bp = Blueprint("units", __name__, url_prefix="/units")


def this_year() -> tuple[stats.Period, date]:
    """The public pages show the current year, so a unit's old record neither hides nor drags on this year's."""
    today = clock.today()
    return stats.Period(today.year), today


@bp.get("/")
def index():
    units = db.session.scalars(select(Unit).options(selectinload(Unit.members)).order_by(Unit.kind, Unit.id))
    period, today = this_year()
    figures = {f.unit.id: f for f in stats.unit_figures(period.start, period.end, today)}
    return render_template("units/index.html", units=list(units), figures=figures, period=period,
                           minimum=current_app.config["SUPERVISION_MIN_TASKS"])


@bp.get("/<int:unit_id>")
def show(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    period, today = this_year()
    figures = next((f for f in stats.unit_figures(period.start, period.end, today) if f.unit.id == unit.id),
                   stats.UnitFigures(unit))
    return render_template("units/show.html", unit=unit, tasks=led_tasks(unit), figures=figures, period=period,
                           today=today, minimum=current_app.config["SUPERVISION_MIN_TASKS"],
                           answers=stats.unit_tasks(unit, period.start, period.end, public_only=True))
