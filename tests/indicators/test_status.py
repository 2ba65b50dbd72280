"""The status rule at its edges, on indicators built in memory (no database): README "Plan indicators"."""

from datetime import UTC, date, datetime

import pytest

from council.indicators.models import Comparison, Frequency, Indicator, IndicatorReport, Period, ReportState
from council.indicators.operations import last_due_period, standing, status_of
from council.plan.models import Plan


def indicator(comparison=Comparison.at_least, target=2.0, *, deadline=2025, baseline=None, baseline_year=None,
              frequency=Frequency.half, unit="个") -> Indicator:
    return Indicator(plan=Plan(issued_on=date(2023, 3, 28)), comparison=comparison, target=target, unit=unit,
                     deadline=deadline, baseline=baseline, baseline_year=baseline_year, frequency=frequency)


def report(ind, period, value=None, *, done=None, state=ReportState.confirmed, day=None):
    p = Period.parse(period)
    when = datetime.combine(day or p.end, datetime.min.time(), tzinfo=UTC)
    r = IndicatorReport(year=p.year, half=p.half, value=value, done=done, state=state, reported_at=when,
                        decided_at=when if state is not ReportState.submitted else None)
    ind.reports.append(r)
    return r


@pytest.fixture(autouse=True)
def _context(app):
    """The status rule reads only the report-days setting from the app."""


def test_exactly_on_target_is_achieved():
    parks = indicator(target=2)
    report(parks, "2024-H2", 2)
    assert status_of(parks, date(2025, 3, 1)).value == "achieved"
    places = indicator(target=4.5, frequency=Frequency.year)
    report(places, "2024", 4.5)
    assert status_of(places, date(2025, 3, 1)).value == "achieved"
    rounding = indicator(target=0.3)
    report(rounding, "2024-H2", 0.1 + 0.2)  # 0.30000000000000004 in binary floating point
    assert status_of(rounding, date(2025, 3, 1)).value == "achieved"
    just_below = indicator(target=0.85)
    report(just_below, "2024-H2", 0.84)
    assert status_of(just_below, date(2025, 3, 1)).value != "achieved"


def test_below_linear_progress_from_the_baseline_is_behind_and_above_it_on_track():
    routes = indicator(target=3, baseline=0, baseline_year=2022)  # 3 routes over 2023–2025: one a year
    report(routes, "2024-H1", 1)
    # On 1 July 2024 steady progress is at 1.5 routes: 1 is behind, 2 is on track.
    assert standing(routes, date(2024, 7, 1)).expected == pytest.approx(1.5, abs=0.01)
    assert status_of(routes, date(2024, 7, 1)).value == "behind"
    report(routes, "2024-H2", 2, day=date(2024, 7, 2))
    assert status_of(routes, date(2024, 7, 3)).value == "on_track"


def test_past_the_deadline_not_achieved_is_overdue_and_achieved_stays_achieved():
    parks = indicator(target=2, deadline=2025)
    report(parks, "2025-H2", 1)
    assert status_of(parks, date(2025, 12, 31)).value != "overdue"
    assert status_of(parks, date(2026, 1, 1)).value == "overdue"
    report(parks, "2026-H1", 2)  # built late: achieved after all
    assert status_of(parks, date(2026, 8, 1)).value == "achieved"
    grounds = indicator(target=12, deadline=2023, baseline=0, baseline_year=2022)
    report(grounds, "2023-H2", 12)
    assert status_of(grounds, date(2026, 11, 29)).value == "achieved"


def test_at_most_targets_count_downwards():
    caries = indicator(Comparison.at_most, 30, unit="%", frequency=Frequency.year)
    report(caries, "2024", 30)
    assert status_of(caries, date(2025, 2, 1)).value == "achieved"  # exactly on target
    report(caries, "2025", 31.5)
    assert status_of(caries, date(2025, 2, 1)).value == "on_track"  # no baseline: cannot measure the pace
    assert status_of(caries, date(2026, 2, 1)).value == "overdue"
    with_baseline = indicator(Comparison.at_most, 30, unit="%", baseline=36, baseline_year=2022,
                              frequency=Frequency.year)
    report(with_baseline, "2023", 35)
    # End of 2024: two thirds of the way from 36 to 30 is 32. 35 is behind, 31 on track.
    assert status_of(with_baseline, date(2024, 12, 31)).value == "behind"
    report(with_baseline, "2024", 31)
    assert status_of(with_baseline, date(2024, 12, 31)).value == "on_track"


def test_a_yearly_change_is_measured_from_the_baseline_or_the_first_confirmed_value():
    myopia = indicator(Comparison.change_per_year, -1, unit="%", frequency=Frequency.year)
    report(myopia, "2023", 52.0)
    assert status_of(myopia, date(2024, 3, 1)).value == "on_track"  # one value: no change yet
    report(myopia, "2024", 51.0)
    assert status_of(myopia, date(2025, 3, 1)).value == "achieved"  # exactly 1 point down in one year
    report(myopia, "2025", 50.5)
    assert status_of(myopia, date(2025, 12, 1)).value == "behind"  # 1.5 points in two years: 0.75 a year
    assert status_of(myopia, date(2026, 3, 1)).value == "overdue"
    planned = indicator(Comparison.change_per_year, -1, unit="%", baseline=55, baseline_year=2022,
                        frequency=Frequency.year)
    report(planned, "2023", 53.9)
    assert status_of(planned, date(2024, 3, 1)).value == "achieved"
    rising = indicator(Comparison.change_per_year, 2, unit="个", baseline=10, baseline_year=2022,
                       frequency=Frequency.year)
    report(rising, "2024", 13)
    assert status_of(rising, date(2025, 3, 1)).value == "behind"  # 1.5 a year, 2 promised


def test_no_value_yet_is_no_data_until_a_period_ends_then_behind_then_overdue():
    blocks = indicator(target=3)
    assert status_of(blocks, date(2023, 6, 30)).value == "no_data"
    assert status_of(blocks, date(2023, 7, 1)).value == "behind"
    assert status_of(blocks, date(2026, 1, 1)).value == "overdue"


def test_milestones_are_done_or_not():
    council = indicator(Comparison.milestone, None)
    report(council, "2024-H2", done=False)
    assert status_of(council, date(2025, 1, 5)).value == "on_track"
    assert standing(council, date(2025, 1, 5)).percent == 0
    report(council, "2025-H1", done=True)
    assert status_of(council, date(2025, 7, 5)).value == "achieved"
    late = indicator(Comparison.milestone, None, deadline=2023)
    report(late, "2023-H2", done=False)
    assert status_of(late, date(2024, 1, 1)).value == "overdue"


def test_only_confirmed_values_count_and_the_latest_period_wins():
    parks = indicator(target=2)
    report(parks, "2025-H1", 2, state=ReportState.submitted)
    report(parks, "2024-H2", 2, state=ReportState.returned)
    assert status_of(parks, date(2025, 8, 1)).value == "behind"  # nothing confirmed yet
    report(parks, "2025-H1", 1)
    report(parks, "2024-H2", 2, day=date(2025, 8, 2))  # an older period confirmed later does not win
    s = standing(parks, date(2025, 8, 3))
    assert (s.latest.period.code, s.latest.value, s.status.value) == ("2025-H1", 1, "on_track")


def test_a_report_is_overdue_when_the_last_due_period_has_no_value_sent():
    parks = indicator(target=2)
    # 2025-H1 ends on 30 June and is due 30 days later.
    assert last_due_period(parks, date(2025, 7, 30)).code == "2024-H2"
    assert last_due_period(parks, date(2025, 7, 31)).code == "2025-H1"
    report(parks, "2024-H2", 1)
    assert not standing(parks, date(2025, 7, 30)).report_overdue
    assert standing(parks, date(2025, 7, 31)).report_overdue
    report(parks, "2025-H1", 1, state=ReportState.returned)
    assert standing(parks, date(2025, 7, 31)).report_overdue  # sent back is not sent
    report(parks, "2025-H1", 1, state=ReportState.submitted)
    assert not standing(parks, date(2025, 7, 31)).report_overdue  # waiting for the office counts as sent
    yearly = indicator(target=4.5, frequency=Frequency.year)
    assert last_due_period(yearly, date(2025, 1, 31)).code == "2024"


def test_no_report_is_due_for_an_achieved_target_after_its_year_but_is_while_it_is_missed():
    done = indicator(target=2, deadline=2025)
    report(done, "2025-H2", 2)
    assert not standing(done, date(2026, 8, 1)).report_overdue
    missed = indicator(target=2, deadline=2025)
    report(missed, "2025-H2", 1)
    assert standing(missed, date(2026, 8, 1)).report_overdue


def test_risk_order_puts_overdue_then_behind_then_missing_reports_first():
    from types import SimpleNamespace

    from council.indicators.operations import by_risk

    rows = []
    cases = ((2, "2025-H1", 2, 2025), (3, None, None, 2025), (3, "2024-H1", 0, 2024), (5, "2025-H1", 4, 2025),
             (5, "2024-H2", 4, 2025))
    for no, (target, period, value, deadline) in enumerate(cases):
        ind = indicator(target=target, deadline=deadline)
        ind.task, ind.position = SimpleNamespace(no=no), 0
        if period is not None:
            report(ind, period, value)
        rows.append(standing(ind, date(2025, 7, 31)))
    ordered = by_risk(rows)
    assert [(s.status.value, s.report_overdue) for s in ordered] == [
        ("overdue", True), ("behind", True), ("on_track", True), ("on_track", False), ("achieved", False)]
