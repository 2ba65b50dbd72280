"""The units' supervision figures (DESIGN §6) as open data, for the period a query asks for."""

from __future__ import annotations

from flask import jsonify, request

from council.api import bp
from council.api.pagination import whole
from council.calendar import clock
from council.tasks import stats


def _fraction(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def figures_json(figures: stats.UnitFigures) -> dict:
    return {
        "id": figures.unit.id,
        "name": figures.unit.name,
        "name_en": figures.unit.name_en,
        "dispatched": figures.dispatched,
        "replied": figures.replied,
        "response_rate": _fraction(figures.response_rate),
        "on_time_rate": _fraction(figures.on_time_rate),
        "resolution_rate": _fraction(figures.resolution_rate),
        "satisfaction_rate": _fraction(figures.satisfaction_rate),
        "ranked": figures.ranked,
    }


@bp.get("/stats/units")
def unit_stats():
    """Units with tasks sent in ``year`` (default: this year) and optional ``month``, in ranking order; a rate is
    null when the unit has too few tasks or nothing to count yet."""
    today = clock.today()
    period = stats.Period.from_args(request.args, today)
    return jsonify(whole(stats.ranking(stats.unit_figures(period.start, period.end, today)), figures_json))
