"""The coordinating office's supervision of the units (DESIGN §6): the figures per unit and period, the tasks
behind them, and the same table as CSV and Excel files for reports."""

from __future__ import annotations

from datetime import date

from babel.dates import get_month_names
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from council.calendar import clock
from council.errors import require
from council.exports import Table, table_response
from council.extensions import db
from council.tasks import queries, stats
from council.units.models import Unit

bp = Blueprint("supervision", __name__)


@bp.before_request
@login_required
def coordinators_only():
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))


def _chosen() -> tuple[stats.Period, date]:
    today = clock.today()
    return stats.Period.from_args(request.args, today), today


def _filters(period: stats.Period, today: date) -> dict:
    months = get_month_names("wide", locale=get_locale())
    newest, oldest = max(today.year, period.year), min(stats.first_year(today), period.year)
    return {"period": period, "today": today, "years": range(newest, oldest - 1, -1),
            "months": [(number, months[number]) for number in range(1, 13)],
            "minimum": current_app.config["SUPERVISION_MIN_TASKS"]}


@bp.get("/supervision")
def index():
    period, today = _chosen()
    figures = stats.ranking(stats.unit_figures(period.start, period.end, today))
    return render_template("supervision/index.html", figures=figures, places=stats.places(figures),
                           **_filters(period, today))


@bp.get("/supervision/units/<int:unit_id>")
def unit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    period, today = _chosen()
    figures = stats.ranking(stats.unit_figures(period.start, period.end, today))
    mine = next((f for f in figures if f.unit.id == unit.id), stats.UnitFigures(unit))
    overdue = request.args.get("show") == "overdue"  # the office's home page links here: overdue now, any period
    tasks = queries.overdue_tasks(unit, today) if overdue else stats.unit_tasks(unit, period.start, period.end)
    return render_template("supervision/unit.html", unit=unit, figures=mine, place=stats.places(figures).get(unit.id),
                           ranked_units=sum(f.ranked for f in figures), tasks=tasks, overdue=overdue,
                           **_filters(period, today))


# --- exports ---------------------------------------------------------------------------------------

# Every figure, in the order of the table on the page.
FIGURES = ("dispatched", "acknowledged_on_time", "response_rate", "replied", "replied_on_time", "on_time_rate",
           "resolved", "resolution_rate", "ratings", "satisfied", "partly", "satisfaction_rate", "open_overdue",
           "very_overdue", "avg_workdays_to_reply", "returns", "extensions")
LEADING = 3  # rank, unit number, unit name
RATE_COLUMNS = frozenset(LEADING + i for i, name in enumerate(FIGURES) if name.endswith("_rate"))


def _headers() -> list[str]:
    """Column heads in the reader's language."""
    names = {
        "dispatched": _("Tasks sent"), "acknowledged_on_time": _("Acknowledged on time"),
        "response_rate": _("Response rate"), "replied": _("Answered"), "replied_on_time": _("Answered on time"),
        "on_time_rate": _("On-time rate"), "resolved": _("Solved or being done (A+B)"),
        "resolution_rate": _("Resolution rate"), "ratings": _("Ratings"), "satisfied": _("Satisfied"),
        "partly": _("Partly satisfied"), "satisfaction_rate": _("Satisfaction rate"),
        "open_overdue": _("Overdue now"), "very_overdue": _("Very overdue now"),
        "avg_workdays_to_reply": _("Average working days to answer"), "returns": _("Sent back"),
        "extensions": _("Extensions granted"),
    }
    return [_("Rank"), _("Unit number"), _("Unit"), *(names[name] for name in FIGURES)]


def _cell(figures: stats.UnitFigures, name: str):
    value = getattr(figures, name)
    if value is None or isinstance(value, int):
        return value
    return round(value, 4 if name.endswith("_rate") else 2)  # rates as fractions with 4 decimals


def _table(period: stats.Period, today: date) -> Table:
    """The header, and one row per unit in ranking order; None where a rate is not given."""
    figures = stats.ranking(stats.unit_figures(period.start, period.end, today))
    place = stats.places(figures)
    rows = [[place.get(f.unit.id), f.unit.id, f.unit.display_name, *(_cell(f, name) for name in FIGURES)]
            for f in figures]
    return Table(_headers(), rows, title=period.label, decimals=dict.fromkeys(RATE_COLUMNS, 4), max_width=40)


def _download(extension: str):
    period, today = _chosen()
    return table_response(f"supervision-{period.label}.{extension}", _table(period, today))


@bp.get("/supervision/export.csv")
def export_csv():
    return _download("csv")


@bp.get("/supervision/export.xlsx")
def export_xlsx():
    return _download("xlsx")
