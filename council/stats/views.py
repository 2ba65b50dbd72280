"""Public statistics, the plan coverage view, the annual report (page and PDF) and the data downloads."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from council.caching import shared_page
from council.calendar import clock
from council.councils.models import Council
from council.districts import current as current_district
from council.errors import require
from council.extensions import db
from council.stats import charts, exports, figures
from council.stats.charts import summary
from council.tasks import stats as unit_stats

bp = Blueprint("stats", __name__)
bp.add_app_template_global(charts.bars, "chart_bars")
bp.add_app_template_global(charts.columns, "chart_columns")


def overview(scope: figures.Scope, today: date) -> dict:
    """Everything the statistics page and the annual report show, for one year (and council)."""
    data = figures.cube(scope)  # one pass over the year's ideas for every figure and chart
    totals = data.totals()
    units = unit_stats.ranking(unit_stats.unit_figures(date(scope.year, 1, 1), date(scope.year, 12, 31), today))
    tiers, councils, areas, months = (figures.by_tier(data), figures.by_council(data), figures.by_area(data),
                                      figures.by_month(data))
    return {
        "scope": scope,
        "totals": totals,
        "satisfaction": figures.satisfaction(scope),
        "tiers": tiers,
        "councils": councils,
        "areas": areas,
        "months": months,
        "summaries": {"tiers": summary(tiers), "councils": summary(councils), "areas": summary(areas),
                      "months": summary(months)},
        "units": units,
        "places": unit_stats.places(units),
        "answered_on_time": (sum(f.replied_on_time for f in units), sum(f.replied for f in units)),
        "campaigns": figures.campaign_participation(scope),
    }


def _scope_read() -> tuple:
    scope = figures.Scope.from_args(request.args, clock.today())
    return scope.year, scope.council.id if scope.council else None


def _year_read() -> int | None:
    year = request.args.get("year", type=int)
    return year if year is not None and figures.FIRST_YEAR <= year <= clock.today().year else None


@bp.get("/stats")
@shared_page(_scope_read)
def index():
    today = clock.today()
    scope = figures.Scope.from_args(request.args, today)
    councils = db.session.scalars(select(Council).order_by(Council.path))
    return render_template("stats/index.html", **overview(scope, today), years=figures.years_with_ideas(today),
                           councils_in_order=list(councils), export_labels=list(exports.DATASETS.items()),
                           min_tasks=current_app.config["SUPERVISION_MIN_TASKS"])


@bp.get("/plan/coverage")
@shared_page(_year_read)
def coverage():
    today = clock.today()
    year = _year_read()
    rows = figures.coverage(year)
    touched = sum(1 for row in rows if row.ideas)
    return render_template("stats/coverage.html", rows=rows, year=year, touched=touched,
                           years=figures.years_with_ideas(today))


def _report_year(year: int) -> figures.Scope:
    if not figures.FIRST_YEAR <= year <= clock.today().year:
        abort(404)
    return figures.Scope(year)


@bp.get("/report")
def report_latest():
    return redirect(url_for("stats.report", year=clock.today().year))


@bp.get("/report/<int:year>")
@shared_page(lambda year: year)
def report(year: int):
    scope = _report_year(year)
    data = overview(scope, clock.today())
    return render_template("stats/report.html", **data, highlights=figures.answered_ideas(scope, limit=8),
                           coverage=figures.coverage(year), today=clock.today())


@bp.get("/report/<int:year>.pdf")
def report_pdf(year: int):
    # The PDF writer (reportlab and its Chinese font, 0.3–0.7 s to read) is imported by the first report a process
    # makes, not with the app; the production server reads it before forking its workers (council/warming.py).
    from council.stats import pdf

    scope = _report_year(year)
    data = overview(scope, clock.today())
    body = pdf.annual_report(data, highlights=figures.answered_ideas(scope, limit=8),
                             coverage=figures.coverage(year), today=clock.today())
    name = f"{current_district().code or 'district'}-children-council-{year}.pdf"
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/open-data/ideas.csv")
def open_ideas():
    """Every public idea, as open data: no names, only what the public pages show."""
    return exports.public_ideas()


@bp.get("/stats/export/<dataset>.<fmt>")
@login_required
def export(dataset: str, fmt: str):
    require(current_user.is_coordinator, _("Only the coordinating office can download these tables."))
    if dataset not in exports.DATASETS or fmt not in ("csv", "xlsx"):
        abort(404)
    today = clock.today()
    scope = figures.Scope.from_args(request.args, today)
    return exports.download(dataset, fmt, scope, today)
