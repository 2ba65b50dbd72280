"""The coordinating office's page for the working-day calendar that unit deadlines count on."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from council.calendar import clock, operations
from council.calendar.forms import CalendarDayForm, DeleteForm, YearCompleteForm
from council.errors import DomainError, require
from council.extensions import db

bp = Blueprint("calendar", __name__)

CHECK_DAYS = 20


@bp.app_template_global("deadline_estimated")
def deadline_estimated(task, which: str = "reply_due") -> bool:
    """For templates: whether a task's deadline is only an estimate (``tasks.operations.deadline_estimated``)."""
    from council.tasks.operations import deadline_estimated as rule  # tasks build on the calendar

    return rule(task, which)


def _flash_recounted(tasks) -> None:
    if tasks:
        flash(_("The deadlines of %(n)s open tasks were counted again on the new calendar.", n=len(tasks)), "success")


def _require_coordinator() -> None:
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))


@bp.route("/coordinator/calendar", methods=["GET", "POST"])
@login_required
def index():
    _require_coordinator()
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            entry = operations.set_day(form.day.data, form.kind.data == "workday", form.note.data, current_user)
        except DomainError as refused:
            form.note.errors.append(refused.message)
        else:
            recounted = entry.recounted
            db.session.commit()
            day = format_date(entry.day, "full")
            if entry.is_workday:
                flash(_("%(day)s now counts as a working day.", day=day), "success")
            else:
                flash(_("%(day)s now counts as a day off.", day=day), "success")
            _flash_recounted(recounted)
            return redirect(url_for(".index"))
    today = clock.today()
    days = operations.calendar_days()
    return render_template(
        "calendar/index.html", form=form, delete_form=DeleteForm(), days=days,
        entered={entry.day: entry for entry in days}, attention=operations.needs_attention(today),
        known=operations.known_years(), today=today, next_days=operations.workdays_after(today, CHECK_DAYS),
        years=operations.open_years(today), year_form=YearCompleteForm(),
    ), 400 if form.errors else 200


@bp.post("/coordinator/calendar/years/<int:year>/complete")
@login_required
def complete_year(year: int):
    """"This year's holidays are all entered": deadlines counted across it are no longer estimates."""
    _require_coordinator()
    require(YearCompleteForm().validate_on_submit(), _("Please press the button again."), DomainError)
    try:
        recounted = operations.mark_year_complete(year, current_user)
    except DomainError as refused:
        flash(refused.message, "error")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("%(year)s is complete: deadlines counted across it are no longer estimates.", year=year), "success")
    _flash_recounted(recounted)
    return redirect(url_for(".index"))


@bp.post("/coordinator/calendar/<int:day_id>/delete")
@login_required
def remove(day_id: int):
    _require_coordinator()
    require(DeleteForm().validate_on_submit(), _("Please press the button again."), DomainError)
    operations.remove_day(day_id, current_user)
    db.session.commit()
    flash(_("The entry is removed; the official calendar decides that date again."), "success")
    return redirect(url_for(".index"))
