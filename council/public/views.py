from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import func, select

from council.accounts.models import Account, AccountKind
from council.caching import kept
from council.calendar import clock
from council.councils.models import Council
from council.councils.operations import name_tree
from council.extensions import db
from council.loading import prepared, written
from council.plan.models import Plan, PlanTask
from council.plan.queries import current_plan_id
from council.proposals import cards
from council.stats import figures as stats
from council.units.models import Unit, UnitKind

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    today = clock.today()
    figures, year = home_figures(today)
    plan = db.session.scalar(prepared(None, lambda: select(Plan).where(Plan.id == current_plan_id())))
    answered = [card for card, _row in cards.of_rows(db.session.execute(
        prepared("home-answered", lambda: cards.statement(stats.answered_query().limit(written("limit", 4))))).all())]
    return render_template("public/home.html", figures=figures, roots=name_tree(levels=2), plan=plan, year=year,
                           answered=answered, this_year=today.year)


def home_figures(today) -> tuple[dict, dict]:
    """The home page's counts: plain numbers, refreshed ahead as the statistics pages are (they read whole
    tables)."""
    return kept(f"home-figures:{today.isoformat()}", lambda: _count_home_figures(today),
                current_app.config["STATISTICS_CACHE_TIMEOUT"])


def _count_home_figures(today) -> tuple[dict, dict]:
    figures = {
        "councils": db.session.scalar(select(func.count(Council.id))),
        "children": db.session.scalar(select(func.count(Account.id)).where(Account.kind == AccountKind.child)),
        "units": db.session.scalar(select(func.count(Unit.id)).where(Unit.kind == UnitKind.department)),
        "tasks": db.session.scalar(select(func.count(PlanTask.id)).where(PlanTask.plan_id == current_plan_id())),
    }
    scope = stats.Scope(today.year)
    year = {"totals": stats.totals(scope), "satisfaction": stats.satisfaction(scope),
            "on_time": stats.answered_on_time(today.year, today)}
    return figures, year


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")
