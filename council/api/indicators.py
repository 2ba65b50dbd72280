from __future__ import annotations

from council.api import bp
from council.api.pagination import whole
from council.calendar import clock
from council.indicators import operations
from council.indicators.models import Comparison


def indicator_json(s: operations.Standing) -> dict:
    i, latest = s.indicator, s.latest
    if latest is None:
        value = None
    elif i.comparison is Comparison.milestone:
        value = bool(latest.done)
    else:
        value = latest.value
    return {
        "id": i.id,
        "code": i.code,
        "task_no": i.task.no,
        "area_no": i.task.action.area.no,
        "name": i.name,
        "name_en": i.name_en,
        "label": i.label,
        "target": i.target,
        "unit": i.unit,
        "unit_en": i.unit_en,
        "comparison": i.comparison.value,
        "baseline": i.baseline,
        "baseline_year": i.baseline_year,
        "deadline": i.deadline,
        "latest_value": value,
        "latest_period": latest.period.code if latest else None,
        "status": s.status.value,
        "report_overdue": s.report_overdue,
        "responsible_units": [u.name for u in i.responsible_units()],
    }


@bp.get("/plan/indicators")
def plan_indicators():
    """The action plan's targets with their latest confirmed values; public, read-only.

    Response: the list envelope ``{"items": [...], "page": 1, "pages": 1, "total": n}``, always whole (every
    active indicator of the newest plan version, in the plan's task order). Each item:

    - ``id`` (integer): the indicator's id; its page is ``/plan/indicators/<id>``.
    - ``code`` (string): stable code from ``council/data/indicators.json``, e.g. ``"theme-parks"``.
    - ``task_no`` (integer, 1–41): the plan task the target belongs to; ``area_no`` (integer, 1–5) its area.
    - ``name`` (string, Chinese), ``name_en`` (string or null), ``label`` (string, plain Chinese words for children).
    - ``target`` (number or null): the target value; null for milestones. For ``change_per_year`` it is the
      change per year, negative for a decrease (e.g. ``-1``: down by at least 1 percentage point a year).
    - ``unit`` (string, Chinese, e.g. ``"个"``, ``"%"``, ``"个/千人"``; empty for milestones), ``unit_en`` (string).
    - ``comparison`` (string): ``"at_least"`` | ``"at_most"`` | ``"change_per_year"`` | ``"milestone"``.
    - ``baseline`` (number or null), ``baseline_year`` (integer or null): the starting value, where known.
    - ``deadline`` (integer): the year by which the target is due.
    - ``latest_value`` (number, boolean for milestones (done / not done), or null when nothing is confirmed):
      the latest value confirmed by the coordinating office; unconfirmed reports never appear here.
    - ``latest_period`` (string or null): the period of that value: ``"2025"`` (whole year), ``"2025-H1"``
      (January–June) or ``"2025-H2"`` (July–December).
    - ``status`` (string): ``"achieved"`` | ``"on_track"`` | ``"behind"`` | ``"overdue"`` | ``"no_data"``,
      by the rule in docs/guides/office.md, "Plan indicators".
    - ``report_overdue`` (boolean): no value was sent for the last period that is due.
    - ``responsible_units`` (array of strings): the Chinese names of the units that report on it.
    """
    rows = operations.standings(operations.current_indicators(), clock.today())
    return whole(rows, indicator_json)
