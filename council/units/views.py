from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from council.calendar import clock
from council.councils.models import Council, Tier
from council.errors import DomainError, require
from council.extensions import db
from council.forms import EmptyForm, add_error, checked_form
from council.paging import asked_page
from council.tasks import stats
from council.tasks.models import OPEN_STATES, Task
from council.units import operations
from council.units.forms import UnitForm
from council.units.models import Unit, UnitKind
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
    figures = next(iter(stats.unit_figures(period.start, period.end, today, unit=unit)), stats.UnitFigures(unit))
    return render_template("units/show.html", unit=unit, tasks=led_tasks(unit), figures=figures, period=period,
                           today=today, minimum=current_app.config["SUPERVISION_MIN_TASKS"],
                           answers=stats.public_unit_tasks(unit, period.start, period.end, asked_page()))


# --- the office's list of units: add one, switch one off or on ---------------------------------------------------

def _unit_form(form: UnitForm | None = None) -> UnitForm:
    form = form or UnitForm()
    form.kind.choices = [(k.value, k.label) for k in UnitKind]
    form.group.choices = [("", _("None"))] + [(str(g.id), g.display_name) for g in operations.groups()]
    councils = db.session.scalars(select(Council).where(Council.tier != Tier.district).order_by(Council.path))
    form.council.choices = [("", _("None"))] + [(str(c.id), c.display_name) for c in councils]
    return form


def _manage_page(form: UnitForm, status: int = 200):
    units = list(db.session.scalars(select(Unit).order_by(Unit.is_active.desc(), Unit.kind, Unit.id)
                                    .options(joinedload(Unit.council))))
    open_tasks = dict(db.session.execute(select(Task.unit_id, func.count(Task.id))
                                         .where(Task.state.in_(list(OPEN_STATES))).group_by(Task.unit_id)).all())
    return render_template("units/manage.html", units=units, form=form, open_tasks=open_tasks,
                           button=EmptyForm()), status


def _require_office() -> None:
    """The office's pages refuse before they look at an id: the same 403 for every unit, existing or not."""
    require(operations.can_manage(current_user), _("This page is for the district coordinating office."))


@bp.route("/manage", methods=["GET", "POST"])
@login_required
def manage():
    _require_office()
    form = _unit_form()
    if request.method == "GET":
        return _manage_page(form)
    if not form.validate_on_submit():
        return _manage_page(form, 400)
    chosen_group = db.session.get(Unit, int(form.group.data)) if form.group.data else None
    chosen_council = db.session.get(Council, int(form.council.data)) if form.council.data else None
    try:
        unit = operations.add_unit(current_user, name=form.name.data, name_en=form.name_en.data,
                                   kind=UnitKind(form.kind.data), group=chosen_group, council=chosen_council)
    except DomainError as refused:
        db.session.rollback()
        add_error(form, refused.field, refused.message)
        return _manage_page(form, 400)
    db.session.commit()
    flash(_("%(unit)s is added. It can be given ideas now.", unit=unit.display_name), "success")
    return redirect(url_for(".manage"))


@bp.post("/<int:unit_id>/switch")
@login_required
def switch(unit_id: int):
    _require_office()
    unit = db.session.get(Unit, unit_id) or abort(404)
    checked_form()
    on = request.form.get("on") == "1"
    try:
        operations.switch(unit, current_user, on=on)
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("%(unit)s is switched on again: it is offered for routing.", unit=unit.display_name) if on else
              _("%(unit)s is switched off: it is no longer offered for routing. Its tasks and figures stay.",
                unit=unit.display_name), "success")
    return redirect(url_for(".manage") + f"#unit-{unit.id}")
