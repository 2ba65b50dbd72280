"""Every rule of the plan indicators: loading them from the package, reporting values, the coordinating office's
decision, and the status rule (docs/guides/office.md, "Plan indicators").

Functions take ``today`` / ``now`` so that demo data and tests can stand on any day; views never pass them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from council.accounts.models import Account
from council.audit.operations import record
from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.indicators.models import (
    REPORT_TRANSITIONS,
    Comparison,
    Frequency,
    Indicator,
    IndicatorReport,
    IndicatorStatus,
    Period,
    ReportState,
)
from council.loading import preload, prepared
from council.notifications.operations import notify
from council.plan.models import Plan, PlanAction, PlanTask
from council.plan.queries import current_plan_id
from council.seed import _set, load_data
from council.tasks.operations import unit_staff
from council.units.models import Unit

S = IndicatorStatus
EPSILON = 1e-9  # values are reported with a few decimals; "exactly on target" must count as met
REPORT_DAYS = 30  # a period's value is due this many days after the period ends (INDICATOR_REPORT_DAYS)


class IllegalReportTransition(DomainError):
    pass


# --- loading ---------------------------------------------------------------------------------------

def seed_indicators() -> list[Indicator]:
    """Load ``council/data/indicators.json`` onto the plan version it names; idempotent. An indicator the file no
    longer lists is kept (its reports are history) but marked inactive."""
    data = load_data("indicators.json")
    plan = db.session.scalar(select(Plan).where(Plan.code == data["plan_code"]))
    if plan is None or plan.version != data["plan_version"]:
        raise RuntimeError(f"indicators.json is for plan {data['plan_code']} version {data['plan_version']}")
    db.session.flush()
    tasks = {t.no: t for t in db.session.scalars(select(PlanTask))
             if t.action.area.plan_id == plan.id}
    existing = {i.code: i for i in db.session.scalars(select(Indicator).where(Indicator.plan_id == plan.id))}
    loaded = []
    for position, item in enumerate(data["indicators"]):
        indicator = existing.get(item["code"])
        if indicator is None:
            indicator = Indicator(plan=plan, code=item["code"])
            db.session.add(indicator)
            existing[item["code"]] = indicator
        _set(indicator, task=tasks[item["task_no"]], position=position, name=item["name"], name_en=item["name_en"],
             label=item["label"], label_en=item["label_en"], comparison=Comparison(item["comparison"]),
             target=item["target"], unit=item["unit"], unit_en=item["unit_en"], baseline=item["baseline"],
             baseline_year=item["baseline_year"], deadline=item["deadline"],
             deadline_in_text=item["deadline_in_text"], frequency=Frequency(item["frequency"]),
             source=item["source"], active=True)
        loaded.append(indicator)
    codes = {item["code"] for item in data["indicators"]}
    for code, indicator in existing.items():
        if code not in codes and indicator.active:
            indicator.active = False
    return loaded


def current_indicators() -> list[Indicator]:
    """The active indicators of the current plan, in the order of the plan, each with its plan, its task and the
    task's action, area and lead units (what every list of them shows, and whom ``responsible_units`` names) read
    with them."""
    return list(db.session.scalars(select(Indicator).where(Indicator.plan_id == current_plan_id(),
                                                           Indicator.active.is_(True))
                                   .join(PlanTask, PlanTask.id == Indicator.task_id)
                                   .order_by(PlanTask.no, Indicator.position)
                                   .options(joinedload(Indicator.plan), selectinload(Indicator.task)
                                            .selectinload(PlanTask.lead_units).selectinload(Unit.members),
                                            selectinload(Indicator.task).joinedload(PlanTask.action)
                                            .joinedload(PlanAction.area))))


def indicators_of_task(task: PlanTask) -> list[Indicator]:
    """A task's targets with their plan, in one statement (``standings`` reads their reports)."""
    return list(db.session.scalars(prepared("task-indicators", lambda: select(Indicator).where(
        Indicator.task_id == bindparam("task"), Indicator.active.is_(True)).order_by(Indicator.position)
        .options(joinedload(Indicator.plan))), {"task": task.id}))


# --- periods ---------------------------------------------------------------------------------------

def periods_of(indicator: Indicator) -> list[Period]:
    """Every period of the indicator from the plan's year on, oldest first, up to the current year."""
    return [p for year in range(indicator.start_year, 2101)
            for p in ([Period(year)] if indicator.frequency is Frequency.year else [Period(year, 1), Period(year, 2)])]


def reportable_periods(indicator: Indicator, today: date) -> list[Period]:
    """Periods a unit may report on: those that have begun (the current one too), newest first."""
    return [p for p in reversed(periods_of(indicator)[:_count_begun(indicator, today)])]


def _count_begun(indicator: Indicator, today: date) -> int:
    years = max(today.year - indicator.start_year + 1, 0)
    if indicator.frequency is Frequency.year:
        return years
    return max(years * 2 - (1 if today.month < 7 else 0), 0)


def report_days() -> int:
    return current_app.config.get("INDICATOR_REPORT_DAYS", REPORT_DAYS)


def last_due_period(indicator: Indicator, today: date) -> Period | None:
    """The latest period whose value should be in by now (ended, plus the days allowed for reporting)."""
    due = [p for p in periods_of(indicator)[:_count_begun(indicator, today)]
           if p.end + timedelta(days=report_days()) < today]
    return due[-1] if due else None


def _closed_periods(indicator: Indicator, today: date) -> list[Period]:
    return [p for p in periods_of(indicator)[:_count_begun(indicator, today)] if p.end < today]


# --- reading values --------------------------------------------------------------------------------

def report_order(report: IndicatorReport) -> tuple:
    return (report.period.end, report.decided_at or report.reported_at, report.id)


def confirmed_reports(indicator: Indicator) -> list[IndicatorReport]:
    """Oldest period first; within one period the latest decision counts last."""
    return sorted((r for r in indicator.reports if r.state is ReportState.confirmed), key=report_order)


def latest_confirmed(indicator: Indicator) -> IndicatorReport | None:
    reports = confirmed_reports(indicator)
    return reports[-1] if reports else None


def waiting_reports(indicator: Indicator) -> list[IndicatorReport]:
    return [r for r in indicator.reports if r.state is ReportState.submitted]


# --- the status rule -------------------------------------------------------------------------------

def _fraction_of_year(day: date) -> float:
    return day.year + (day.timetuple().tm_yday / (366 if day.year % 4 == 0 else 365))


def is_met(indicator: Indicator, report: IndicatorReport | None, baseline: tuple[float, float] | None = None) -> bool:
    if report is None:
        return False
    c = indicator.comparison
    if c is Comparison.milestone:
        return bool(report.done)
    if report.value is None:
        return False
    if c is Comparison.at_least:
        return report.value >= indicator.target - EPSILON
    if c is Comparison.at_most:
        return report.value <= indicator.target + EPSILON
    if baseline is None:
        return False
    rate = yearly_change(indicator, report, baseline)
    if rate is None:
        return False
    return rate <= indicator.target + EPSILON if indicator.target < 0 else rate >= indicator.target - EPSILON


def change_baseline(indicator: Indicator) -> tuple[float, float] | None:
    """(value, when as a fractional year) the yearly change is measured from: the plan's baseline where it gives
    one, else the first confirmed value."""
    if indicator.baseline is not None and indicator.baseline_year is not None:
        return indicator.baseline, _fraction_of_year(date(indicator.baseline_year, 12, 31))
    reports = confirmed_reports(indicator)
    if not reports:
        return None
    first = reports[0]
    return first.value, _fraction_of_year(first.period.end)


def yearly_change(indicator: Indicator, report: IndicatorReport, baseline: tuple[float, float]) -> float | None:
    years = _fraction_of_year(report.period.end) - baseline[1]
    if years <= EPSILON or report.value is None or baseline[0] is None:
        return None
    return (report.value - baseline[0]) / years


def expected_now(indicator: Indicator, today: date) -> float | None:
    """Linear progress from the baseline (end of the baseline year) to the target (end of the deadline year)."""
    if indicator.baseline is None or indicator.baseline_year is None or indicator.target is None:
        return None
    start, end = date(indicator.baseline_year, 12, 31), date(indicator.deadline, 12, 31)
    share = min(max((today - start).days / max((end - start).days, 1), 0.0), 1.0)
    return indicator.baseline + (indicator.target - indicator.baseline) * share


@dataclass(frozen=True)
class Standing:
    """What the pages show for one indicator on one day."""

    indicator: Indicator
    status: IndicatorStatus
    latest: IndicatorReport | None
    expected: float | None  # linear progress today, where there is a baseline
    report_overdue: bool  # no value sent for the last period that is due
    due_period: Period | None
    waiting: int  # reports waiting for the coordinating office

    @property
    def percent(self) -> int | None:
        """How far towards the target, 0–100, for the progress bar; None where a bar would mislead."""
        i, latest = self.indicator, self.latest
        if i.is_milestone:
            return 100 if latest is not None and latest.done else 0
        if latest is None or latest.value is None or i.comparison is not Comparison.at_least or not i.target:
            return None
        start = i.baseline or 0.0
        if i.target <= start:
            return 100
        return int(max(min((latest.value - start) / (i.target - start), 1.0), 0.0) * 100)

    @property
    def bar(self) -> tuple[float, int] | None:
        """(value, max) of the progress bar: a percentage as itself out of 100, anything else as the share of
        the target reached."""
        i, latest = self.indicator, self.latest
        if i.unit == "%" and i.comparison is Comparison.at_least:
            return (latest.value, 100) if latest is not None and latest.value is not None else None
        return (self.percent, 100) if self.percent is not None else None

    @property
    def share_text(self) -> bool:
        """Whether "(50%)" after the numbers means something: not for targets that are percentages already."""
        return self.percent is not None and not self.indicator.is_milestone and self.indicator.unit != "%"

    @property
    def risk(self) -> int:
        """Overdue, behind, report overdue, no value, on track, achieved: the coordinator's order."""
        if self.status is S.overdue:
            return 0
        if self.status is S.behind:
            return 1
        if self.report_overdue:
            return 2
        return {S.no_data: 3, S.on_track: 4, S.achieved: 5}[self.status]


def status_of(indicator: Indicator, today: date) -> IndicatorStatus:
    return standing(indicator, today).status


def standing(indicator: Indicator, today: date) -> Standing:
    latest = latest_confirmed(indicator)
    baseline = change_baseline(indicator) if indicator.comparison is Comparison.change_per_year else None
    expected = expected_now(indicator, today)
    status = _status(indicator, latest, baseline, expected, today)
    due = last_due_period(indicator, today)
    report_overdue = False
    if due is not None and _report_still_due(indicator, status, due):
        report_overdue = not any(r.period == due and r.state is not ReportState.returned for r in indicator.reports)
    return Standing(indicator, status, latest, expected, report_overdue, due, len(waiting_reports(indicator)))


def _report_still_due(indicator: Indicator, status: IndicatorStatus, due: Period) -> bool:
    """Values are due every period up to the deadline year; after it only while the target is not achieved.
    A milestone confirmed done needs no more reports."""
    return not (status is S.achieved and (indicator.is_milestone or due.year > indicator.deadline))


def _status(indicator: Indicator, latest: IndicatorReport | None, baseline, expected: float | None,
            today: date) -> IndicatorStatus:
    if is_met(indicator, latest, baseline):
        return S.achieved
    if today.year > indicator.deadline:
        return S.overdue
    if latest is None:
        return S.behind if _closed_periods(indicator, today) else S.no_data
    if indicator.comparison is Comparison.change_per_year:
        measurable = baseline is not None and yearly_change(indicator, latest, baseline) is not None
        return S.behind if measurable else S.on_track
    if expected is not None and latest.value is not None:
        if indicator.comparison is Comparison.at_least and latest.value < expected - EPSILON:
            return S.behind
        if indicator.comparison is Comparison.at_most and latest.value > expected + EPSILON:
            return S.behind
    return S.on_track


def standings(indicators: list[Indicator], today: date) -> list[Standing]:
    """Where each indicator stands; their reports read for all of them in one statement, not one each."""
    preload(indicators, Indicator.reports)
    return [standing(i, today) for i in indicators]


def by_risk(rows: list[Standing]) -> list[Standing]:
    return sorted(rows, key=lambda s: (s.risk, s.indicator.task.no, s.indicator.position))


# --- reporting -------------------------------------------------------------------------------------

def may_report(indicator: Indicator, actor: Account) -> bool:
    return bool(actor.is_authenticated and reporting_unit(indicator, actor))


def reporting_unit(indicator: Indicator, actor: Account) -> Unit | None:
    """The actor's unit among the indicator's responsible units (the first, if they serve several)."""
    if not actor.is_authenticated:
        return None
    mine = {u.id for u in actor.current_units()}
    return next((u for u in indicator.responsible_units() if u.id in mine), None)


def may_decide(actor: Account) -> bool:
    return actor.is_authenticated and actor.is_coordinator


def may_see_reports(indicator: Indicator, actor: Account) -> bool:
    """Every report with its note and evidence: the responsible units' staff and the coordinating office."""
    return may_decide(actor) or may_report(indicator, actor)


def _describe(indicator: Indicator, value: float | None, done: bool | None) -> str:
    if indicator.is_milestone:
        return _("done") if done else _("not done yet")
    return f"{format_number(value)} {indicator.unit}".strip()


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def check_report(indicator: Indicator, actor: Account, *, period: Period, value: float | None = None,
                 done: bool | None = None, replaces: IndicatorReport | None = None,
                 now: datetime | None = None) -> Unit:
    """Every rule a report must pass, checked before any evidence is stored; returns the reporting unit."""
    unit = reporting_unit(indicator, actor)
    require(unit is not None, _("Only the staff of the units responsible for this target can report on it."))
    require(indicator.active, _("This target is no longer part of the plan."), DomainError)
    require(period in reportable_periods(indicator, clock.local_day(now or clock.now())),
            _("Choose a period from %(start)s up to now.", start=indicator.start_year), DomainError, field="period")
    if indicator.is_milestone:
        require(done is not None, _("Say whether it is done."), DomainError, field="done")
    else:
        require(value is not None, _("Enter the value as a number, for example 2 or 4.5."), DomainError,
                field="value")
        require(value >= 0, _("The value cannot be negative."), DomainError, field="value")
        require(indicator.unit != "%" or value <= 100, _("A percentage cannot be more than 100."), DomainError,
                field="value")
    if replaces is not None:
        require(replaces.indicator_id == indicator.id and replaces.state is ReportState.returned,
                _("Only a value that was sent back can be corrected."), IllegalReportTransition)
    require(not any(r.period == period and r.state is ReportState.submitted for r in indicator.reports),
            _("A value for %(period)s is already waiting for the coordinating office.", period=period.label),
            IllegalReportTransition)
    return unit


def submit(indicator: Indicator, actor: Account, *, period: Period, value: float | None = None,
           done: bool | None = None, note: str = "", evidence=None, evidence_description: str = "",
           replaces: IndicatorReport | None = None, now: datetime | None = None) -> IndicatorReport:
    """A unit reports a value for one period. It waits for the coordinating office; nothing is overwritten."""
    unit = check_report(indicator, actor, period=period, value=value, done=done, replaces=replaces, now=now)
    if indicator.is_milestone:
        value = None
    else:
        done = None
    report = IndicatorReport(indicator=indicator, unit=unit, year=period.year, half=period.half, value=value,
                             done=done, note=(note or "").strip(), evidence=evidence,
                             evidence_description=(evidence_description or "").strip()[:200],
                             state=ReportState.submitted, replaces=replaces, reported_by_id=actor.id,
                             reported_at=now or clock.now())
    db.session.add(report)
    db.session.flush()
    record("indicator_report_submitted", report, actor=actor, to_state=ReportState.submitted,
           indicator=indicator.code, period=period.code, value=value, done=done, unit=unit.name,
           replaces=getattr(replaces, "id", None), evidence=getattr(evidence, "key", None))
    # The office hears of waiting values in its daily digest and on its dashboard, not one message per value.
    return report


def _move(report: IndicatorReport, to: ReportState, actor: Account, action: str, *, reason: str | None = None,
          now: datetime | None = None) -> None:
    require(may_decide(actor), _("Only the coordinating office can do that."))
    if to not in REPORT_TRANSITIONS[report.state]:
        raise IllegalReportTransition(_("This value is “%(state)s” now, so it cannot become “%(to)s”.",
                                        state=report.state.label, to=to.label))
    before, report.state = report.state, to
    report.decided_by_id, report.decided_at = actor.id, now or clock.now()
    record(action, report, actor=actor, from_state=before, to_state=to, reason=reason,
           indicator=report.indicator.code, period=report.period.code)


def confirm(report: IndicatorReport, actor: Account, *, now: datetime | None = None) -> None:
    _move(report, ReportState.confirmed, actor, "indicator_report_confirmed", now=now)


def send_back(report: IndicatorReport, actor: Account, reason: str, *, now: datetime | None = None) -> None:
    reason = (reason or "").strip()
    require(may_decide(actor), _("Only the coordinating office can do that."))
    require(bool(reason), _("Write what needs correcting, so the unit can send the right value."), DomainError,
            field="reason")
    _move(report, ReportState.returned, actor, "indicator_report_returned", reason=reason, now=now)
    report.return_reason = reason
    notify(unit_staff(report.unit), "indicator_report_returned", indicator=report.indicator.name,
           period=report.period.code, reason=reason)


def correction_of(report: IndicatorReport) -> IndicatorReport | None:
    return db.session.scalar(select(IndicatorReport).where(IndicatorReport.replaces_id == report.id)
                             .order_by(IndicatorReport.id.desc()).limit(1))


# --- for the unit desk and the coordinator ---------------------------------------------------------

def indicators_for_units(units: list[Unit]) -> list[Indicator]:
    ids = {u.id for u in units}
    return [i for i in current_indicators() if any(u.id in ids for u in i.responsible_units())]


def waiting_queue() -> list[IndicatorReport]:
    """Values waiting for the office, each with its indicator, unit and evidence, which the queue shows."""
    return list(db.session.scalars(select(IndicatorReport).where(IndicatorReport.state == ReportState.submitted)
                                   .order_by(IndicatorReport.reported_at, IndicatorReport.id)
                                   .options(joinedload(IndicatorReport.indicator), joinedload(IndicatorReport.unit),
                                            joinedload(IndicatorReport.evidence))))


def returned_to_correct(units: list[Unit]) -> list[IndicatorReport]:
    """Values sent back to these units that no later report corrects yet."""
    ids = [u.id for u in units]
    returned = db.session.scalars(select(IndicatorReport).where(IndicatorReport.state == ReportState.returned,
                                                                IndicatorReport.unit_id.in_(ids))
                                  .order_by(IndicatorReport.id))
    return [r for r in returned if correction_of(r) is None]


def digest_lines(today: date) -> list[str]:
    """The indicators section of the coordinating office's daily digest (council/tasks/reminders.py)."""
    rows = [s for s in by_risk(standings(current_indicators(), today))
            if s.status in (S.overdue, S.behind) or s.report_overdue]
    if not rows:
        return []
    lines = ["", _("Plan indicators needing attention: %(n)s", n=len(rows))]
    for s in rows:
        i = s.indicator
        flags = [str(s.status.label)] if s.status in (S.overdue, S.behind) else []
        if s.report_overdue:
            flags.append(_("no value for %(period)s", period=s.due_period.label))
        latest = (_describe(i, s.latest.value, s.latest.done) if s.latest else _("no confirmed value"))
        lines.append(_("- Task %(no)s %(name)s: %(flags)s (latest: %(latest)s; target: %(target)s by %(year)s)",
                       no=i.task.no, name=i.name, flags=", ".join(flags), latest=latest,
                       target=target_text(i), year=i.deadline))
    waiting = waiting_queue()
    if waiting:
        lines.append(_("Indicator values waiting for your confirmation: %(n)s", n=len(waiting)))
    return lines


def target_text(indicator: Indicator) -> str:
    c = indicator.comparison
    if c is Comparison.milestone:
        return _("done")
    number = format_number(abs(indicator.target) if c is Comparison.change_per_year else indicator.target)
    unit = indicator.display_unit
    if c is Comparison.at_least:
        return _("at least %(n)s %(unit)s", n=number, unit=unit)
    if c is Comparison.at_most:
        return _("at most %(n)s %(unit)s", n=number, unit=unit)
    if indicator.target < 0:
        return _("down by at least %(n)s percentage points a year", n=number) if unit == "%" else _(
            "down by at least %(n)s %(unit)s a year", n=number, unit=unit)
    return _("up by at least %(n)s %(unit)s a year", n=number, unit=unit)
