"""Units report values, the coordinating office confirms or sends them back; history kept, every step logged."""

import pytest
from sqlalchemy import func, select

from council.audit.models import Event
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.indicators import operations
from council.indicators.models import IndicatorReport, Period, ReportState
from council.notifications.models import Notification
from tests.indicators.conftest import at


def events(action):
    return list(db.session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


def test_a_unit_reports_and_the_office_confirms(office):
    parks = office.indicator("theme-parks")
    report = operations.submit(parks, office.staff["housing"], period=Period(2025, 2), value=1, note="和平公园",
                               now=at("2026-01-10"))
    db.session.commit()
    assert (report.state, report.unit.name, report.value) == (ReportState.submitted, "区住房城乡建设局", 1)
    assert operations.latest_confirmed(parks) is None  # waiting values do not count
    assert [e.to_state for e in events("indicator_report_submitted")] == ["submitted"]
    assert operations.waiting_queue() == [report]
    operations.confirm(report, office.coordinator, now=at("2026-01-12"))
    db.session.commit()
    assert operations.latest_confirmed(parks) is report
    event = events("indicator_report_confirmed")[0]
    assert (event.from_state, event.to_state, event.actor_id) == ("submitted", "confirmed", office.coordinator.id)


def test_another_units_staff_and_the_office_cannot_report(office, make):
    parks = office.indicator("theme-parks")
    for outsider in (office.staff["edu"], office.coordinator, make.adult("nobody")):
        with pytest.raises(PermissionDenied):
            operations.submit(parks, outsider, period=Period(2025, 2), value=2, now=at("2026-01-10"))
    assert db.session.scalar(select(func.count(IndicatorReport.id))) == 0
    assert operations.may_report(office.indicator("caries-rate"), office.staff["edu"])  # co-lead of task 12


def test_only_the_office_confirms_or_sends_back(office):
    report = operations.submit(office.indicator("theme-parks"), office.staff["housing"], period=Period(2025, 2),
                               value=1, now=at("2026-01-10"))
    for actor in (office.staff["housing"], office.staff["edu"]):
        with pytest.raises(PermissionDenied):
            operations.confirm(report, actor)
        with pytest.raises(PermissionDenied):
            operations.send_back(report, actor, "不对")
    assert report.state is ReportState.submitted


def test_sent_back_with_a_reason_then_corrected_keeps_both(office, english):
    myopia = office.indicator("myopia-rate")
    health = office.staff["health"]
    first = operations.submit(myopia, health, period=Period(2025), value=39, now=at("2026-01-10"))
    with english(), pytest.raises(DomainError, match="correct"):
        operations.send_back(first, office.coordinator, "  ")
    operations.send_back(first, office.coordinator, "这是小学生的近视率，请报全区的。", now=at("2026-01-11"))
    db.session.commit()
    assert first.return_reason == "这是小学生的近视率，请报全区的。"
    assert events("indicator_report_returned")[0].reason == first.return_reason
    assert db.session.scalar(select(Notification).where(Notification.account_id == health.id)).kind == \
        "indicator_report_returned"
    assert operations.returned_to_correct([first.unit]) == [first]
    with pytest.raises(DomainError):
        operations.confirm(first, office.coordinator)  # a returned value is final; the correction is a new one
    second = operations.submit(myopia, health, period=Period(2025), value=49.3, replaces=first,
                               now=at("2026-01-12"))
    operations.confirm(second, office.coordinator, now=at("2026-01-13"))
    db.session.commit()
    assert (first.state, first.value, second.replaces_id) == (ReportState.returned, 39, first.id)
    assert operations.latest_confirmed(myopia).value == 49.3
    assert operations.returned_to_correct([first.unit]) == []


def test_one_waiting_value_per_period_so_a_double_submit_creates_nothing_twice(office, english):
    parks, housing = office.indicator("theme-parks"), office.staff["housing"]
    operations.submit(parks, housing, period=Period(2025, 2), value=1, now=at("2026-01-10"))
    db.session.commit()
    with english(), pytest.raises(DomainError, match="already waiting"):
        operations.submit(parks, housing, period=Period(2025, 2), value=1, now=at("2026-01-10"))
    db.session.rollback()
    assert db.session.scalar(select(func.count(IndicatorReport.id))) == 1
    operations.submit(parks, housing, period=Period(2025, 1), value=1, now=at("2026-01-10"))  # another period


def test_confirming_twice_is_refused(office, english):
    report = operations.submit(office.indicator("theme-parks"), office.staff["housing"], period=Period(2025, 2),
                               value=2, now=at("2026-01-10"))
    operations.confirm(report, office.coordinator)
    with english(), pytest.raises(DomainError, match="cannot become"):
        operations.confirm(report, office.coordinator)
    assert len(events("indicator_report_confirmed")) == 1


@pytest.mark.parametrize(("code", "values", "message"), [
    ("caries-rate", {"period": Period(2025), "value": 130}, "more than 100"),
    ("theme-parks", {"period": Period(2025, 2), "value": -1}, "negative"),
    ("theme-parks", {"period": Period(2025, 2)}, "Enter the value"),
    ("theme-parks", {"period": Period(2026, 2), "value": 1}, "Choose a period"),  # not begun on 10 Jan 2026
    ("theme-parks", {"period": Period(2022, 2), "value": 1}, "Choose a period"),  # before the plan
    ("theme-parks", {"period": Period(2025), "value": 1}, "Choose a period"),  # half-yearly target
    ("council-system", {"period": Period(2025, 2)}, "done"),
])
def test_bad_values_are_refused_with_a_clear_message(office, english, code, values, message):
    staff = {"caries-rate": "health", "theme-parks": "housing", "council-system": None}[code]
    if staff is None:
        from council.accounts.operations import add_unit_staff
        from council.units.models import Unit

        person = office.staff["edu"]
        add_unit_staff(person, db.session.scalar(select(Unit).where(Unit.name == "区妇联")),
                       starts_on=at("2020-01-01").date())
    person = office.staff[staff] if staff else office.staff["edu"]
    with english(), pytest.raises(DomainError, match=message):
        operations.submit(office.indicator(code), person, now=at("2026-01-10"), **values)


def test_a_milestone_is_reported_done_or_not_done(office, english):
    from council.accounts.operations import add_unit_staff
    from council.units.models import Unit

    women = db.session.scalar(select(Unit).where(Unit.name == "区妇联"))
    add_unit_staff(office.staff["edu"], women, starts_on=at("2020-01-01").date())
    councils = office.indicator("council-system")
    report = operations.submit(councils, office.staff["edu"], period=Period(2025, 2), done=True, value=7,
                               now=at("2026-01-10"))
    operations.confirm(report, office.coordinator, now=at("2026-01-11"))
    assert (report.done, report.value, report.unit.name) == (True, None, "区妇联")
    assert operations.status_of(councils, at("2026-02-01").date()).value == "achieved"
