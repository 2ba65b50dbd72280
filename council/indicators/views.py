"""Pages for plan indicators and unit reports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.forms import EmptyForm, about, add_error, checked_form, error_summary, whole_number
from council.indicators import operations
from council.indicators.forms import ReportForm, ReturnForm
from council.indicators.models import Indicator, IndicatorReport, Period, ReportState
from council.plan.queries import current_plan
from council.uploads import storage
from council.uploads.images import process_image
from council.uploads.models import StoredFile

bp = Blueprint("indicators", __name__)


@bp.app_template_global()
def indicators_for_task(task) -> list[operations.Standing]:
    """The targets of a plan task, for the task page and the idea page, which show them."""
    if task is None:
        return []
    return operations.standings(operations.indicators_of_task(task), clock.today())


@bp.app_template_global()
def fmt_number(value) -> str:
    return operations.format_number(value)


@bp.app_template_global()
def indicator_target(indicator: Indicator) -> str:
    return operations.target_text(indicator)


def load_indicator(indicator_id: int) -> Indicator:
    return db.session.get(Indicator, indicator_id) or abort(404)


def _report_form(indicator: Indicator, formdata=None) -> ReportForm:
    form = ReportForm(formdata=formdata) if formdata is not None else ReportForm()
    form.period.choices = [SelectChoice(p.code, p.label)
                           for p in operations.reportable_periods(indicator, clock.today())]
    return form


# --- public ----------------------------------------------------------------------------------------

@bp.get("/plan/indicators")
def index():
    plan = current_plan() or abort(404)
    today = clock.today()
    rows = operations.standings(operations.current_indicators(), today)
    areas = [(area, [s for s in rows if s.indicator.task.action.area_id == area.id]) for area in plan.areas]
    counts = {status: sum(1 for s in rows if s.status is status) for status in operations.S}
    return render_template("indicators/index.html", plan=plan, areas=areas, counts=counts, total=len(rows),
                           today=today, report_days=operations.report_days())


@bp.get("/plan/indicators/<int:indicator_id>")
def show(indicator_id: int):
    indicator = load_indicator(indicator_id)
    return _show(indicator, _report_form(indicator, formdata=None))


def _show(indicator: Indicator, form: ReportForm, status: int = 200, error: str | None = None,
          failed: int | None = None, return_form: ReturnForm | None = None):
    """The indicator's page; ``failed``: the report whose sending back was refused, shown with its reason typed."""
    today = clock.today()
    privileged = operations.may_see_reports(indicator, current_user)
    correcting = _correcting(indicator) if request.method == "GET" else None
    if correcting is not None:
        form.period.data, form.value.data, form.note.data = correcting.period.code, correcting.value, correcting.note
        form.done.data = None if correcting.done is None else ("yes" if correcting.done else "no")
        form.replaces.data = str(correcting.id)
    elif _replaced_id(form) is not None:
        correcting = db.session.get(IndicatorReport, _replaced_id(form))
    reports = sorted(indicator.reports if privileged else operations.confirmed_reports(indicator),
                     key=operations.report_order, reverse=True)
    return render_template("indicators/show.html", indicator=indicator, s=operations.standing(indicator, today),
                           reports=reports, privileged=privileged, form=form, error=error, correcting=correcting,
                           may_report=operations.may_report(indicator, current_user),
                           may_decide=operations.may_decide(current_user), failed=failed,
                           return_form=return_form or ReturnForm(formdata=None), empty=EmptyForm(),
                           units=indicator.responsible_units()), status


def _replaced_id(form: ReportForm) -> int | None:
    try:
        return whole_number(form.replaces.data or "")
    except ValueError:
        return None


def _correcting(indicator: Indicator) -> IndicatorReport | None:
    """The returned report named by ``?correct=``, which the form starts from."""
    report_id = request.args.get("correct", type=int)
    if not report_id or not operations.may_report(indicator, current_user):
        return None
    report = db.session.get(IndicatorReport, report_id)
    if report is None or report.indicator_id != indicator.id or report.state is not ReportState.returned:
        return None
    return report


# --- the unit's side -------------------------------------------------------------------------------

@bp.get("/desk/indicators")
@login_required
def desk():
    units = current_user.current_units()
    require(bool(units), _("This page is for staff of a responsible unit."))
    today = clock.today()
    rows = operations.by_risk(operations.standings(operations.indicators_for_units(units), today))
    return render_template("indicators/desk.html", units=units, rows=rows,
                           returned=operations.returned_to_correct(units), today=today)


@bp.post("/plan/indicators/<int:indicator_id>/reports")
@login_required
def report(indicator_id: int):
    indicator = load_indicator(indicator_id)
    require(operations.may_report(indicator, current_user),
            _("Only the staff of the units responsible for this target can report on it."))
    form = _report_form(indicator)
    try:
        if not form.validate_on_submit():
            return _show(indicator, form, 400, error_summary(form))
        values = _report_values(indicator, form)
        operations.check_report(indicator, current_user, **values)
        evidence = None
        if form.evidence.data and getattr(form.evidence.data, "filename", ""):
            with about("evidence"):
                processed = process_image(form.evidence.data.stream,
                                          max_bytes=current_app.config["IMAGE_MAX_BYTES"])
            evidence = storage.store_image(processed, current_user)
        operations.submit(indicator, current_user, evidence=evidence,
                          evidence_description=form.evidence_description.data or "", note=form.note.data or "",
                          **values)
        db.session.commit()
    except DomainError as refused:
        db.session.rollback()
        add_error(form, refused.field, refused.message)
        return _show(indicator, form, 400, error_summary(form))
    except IntegrityError:  # a second tap racing the first: the first one counts
        db.session.rollback()
        return _show(indicator, form, 409, _("A value for this period is already waiting for the coordinating "
                                             "office."))
    flash(_("Thank you. The coordinating office will check the value and confirm it."), "success")
    return redirect(url_for(".show", indicator_id=indicator.id))


def _report_values(indicator: Indicator, form: ReportForm) -> dict:
    period = Period.parse(form.period.data)
    require(period is not None, _("Choose the period."), DomainError, field="period")
    replaces = None
    if form.replaces.data:
        replaced = _replaced_id(form)
        replaces = db.session.get(IndicatorReport, replaced) if replaced is not None else None
        require(replaces is not None, _("Only a value that was sent back can be corrected."), DomainError)
    if indicator.is_milestone:
        require(form.done.data in ("yes", "no"), _("Say whether it is done."), DomainError, field="done")
        return {"period": period, "done": form.done.data == "yes", "replaces": replaces}
    require(form.value.data is not None, _("Enter the value as a number, for example 2 or 4.5."), DomainError,
            field="value")
    return {"period": period, "value": float(form.value.data), "replaces": replaces}


@bp.get("/indicators/evidence/<key>")
@bp.get("/indicators/evidence/<key>/thumb", endpoint="evidence_thumb")
@login_required
def evidence(key: str):
    """Evidence is for the adults who check values: the responsible units and the coordinating office. It may
    show people (children at a new park), so it is never public."""
    stored = db.session.scalar(select(StoredFile).where(StoredFile.key == key)) or abort(404)
    report = db.session.scalar(select(IndicatorReport).where(IndicatorReport.evidence_id == stored.id)) or abort(404)
    if not operations.may_see_reports(report.indicator, current_user):
        abort(404)
    # Read whole (a re-encoded picture is small), so no file handle outlives the request.
    data = storage.path_of(stored, thumbnail=request.endpoint.endswith("thumb")).read_bytes()
    return Response(data, mimetype=stored.content_type, headers={"Cache-Control": "private, max-age=3600"})


# --- the coordinating office -----------------------------------------------------------------------

@bp.get("/coordinator/indicators")
@login_required
def dashboard():
    require(operations.may_decide(current_user), _("This page is for the district coordinating office."))
    return _dashboard()


def _dashboard(failed: int | None = None, return_form: ReturnForm | None = None):
    """The office's page; ``failed``: the report whose sending back was refused, shown with its reason typed."""
    today = clock.today()
    rows = operations.by_risk(operations.standings(operations.current_indicators(), today))
    return render_template("indicators/dashboard.html", rows=rows, queue=operations.waiting_queue(), today=today,
                           empty=EmptyForm(), failed=failed, return_form=return_form or ReturnForm(formdata=None)
                           ), 400 if failed else 200


@bp.post("/indicators/reports/<int:report_id>/<action>")
@login_required
def decide(report_id: int, action: str):
    # The office's action: refused before the report is looked up, the same for every id (council/visibility.py).
    require(operations.may_decide(current_user), _("Only the coordinating office can do that."))
    report = db.session.get(IndicatorReport, report_id) or abort(404)
    if action not in ("confirm", "return"):
        abort(404)
    back = (url_for(".dashboard") if request.form.get("back") == "dashboard"
            else url_for(".show", indicator_id=report.indicator_id))
    checked_form()
    if action == "confirm" and report.state is ReportState.confirmed:  # a second tap
        return redirect(back)
    form = ReturnForm() if action == "return" else None
    try:
        if action == "confirm":
            operations.confirm(report, current_user)
            message = _("Confirmed. The public page shows the new value.")
        else:
            require(form.validate(), " ".join(map(str, form.reason.errors)), DomainError, field="reason")
            operations.send_back(report, current_user, form.reason.data or "")
            message = _("Sent back to the unit with your reason.")
    except DomainError as refused:
        db.session.rollback()
        if form is None or refused.field != "reason":  # the report moved on: its form may be gone from the page
            flash(refused.message, "error")
            return redirect(back)
        form.reason.errors = [refused.message]  # the reason typed stays in its box, with what is wrong beside it
        if request.form.get("back") == "dashboard":
            return _dashboard(report.id, form)
        indicator = report.indicator
        return _show(indicator, _report_form(indicator, formdata=None), 400, failed=report.id, return_form=form)
    db.session.commit()
    flash(message, "success")
    return redirect(back)
