"""Deadlines counted across a year whose holidays are not published yet are marked "预计" / "estimated" everywhere
they are shown, and are counted again when the office enters that year's holidays and marks it complete."""

from datetime import date

import pytest
from sqlalchemy import select

from council.audit.models import Event
from council.calendar import clock
from council.calendar import operations as cal
from council.errors import DomainError
from council.extensions import db
from council.tasks import operations
from council.tasks.models import Task
from council.tasks.reminders import remind
from tests.tasks.conftest import at

MARK = 'class="tag estimated"'


def only_task(proposal) -> Task:
    (task,) = operations.tasks_of(proposal)
    return task


def page(client, url: str, lang: str) -> str:
    client.set_cookie("lang", lang)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def answer_by(html: str, label: str) -> str:
    """The <dd> after the <dt> ``label`` on the task page."""
    return html.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0]


@pytest.fixture
def across_new_year(office):
    """A task dispatched on Sunday 20 December 2026, when the package knows no 2027 holidays."""
    task = only_task(office.routed(now=at("2026-12-20")))
    return task


def test_a_reply_deadline_into_an_unknown_year_skips_new_years_day_and_is_estimated(across_new_year):
    task = across_new_year
    # Dec 21–25 (1–5), 28–31 (6–9), 1 Jan off, Jan 4–8 (10–14), 11–15 (15–19), Mon 18 Jan (20).
    assert task.reply_due == date(2027, 1, 18)
    assert task.acknowledge_due == date(2026, 12, 23)  # within 2026: known
    assert operations.deadline_estimated(task, "reply_due") is True
    assert operations.deadline_estimated(task, "very_overdue_on") is True
    assert operations.deadline_estimated(task, "acknowledge_due") is False


def test_the_task_page_and_the_desk_mark_the_estimate_in_both_languages(client, auth, office, across_new_year):
    task = across_new_year
    auth.login("staff0")
    with clock.freeze(at("2026-12-21")):
        zh = page(client, f"/tasks/{task.id}", "zh_Hans_CN")
        assert MARK in answer_by(zh, "答复期限") and ">预计</span>" in answer_by(zh, "答复期限")
        en = page(client, f"/tasks/{task.id}", "en")
        assert MARK in answer_by(en, "Answer by") and ">estimated</span>" in answer_by(en, "Answer by")
        assert MARK not in answer_by(en, "Acknowledge by")
        desk_en = page(client, "/desk", "en")
        assert MARK not in desk_en  # dispatched: the desk shows the acknowledge date, within 2026
        operations.acknowledge(task, office.staff[0], now=at("2026-12-21"))
        db.session.commit()
        desk_en = page(client, "/desk", "en")
        assert MARK in desk_en and ">estimated</span>" in desk_en
        desk_zh = page(client, "/desk", "zh_Hans_CN")
        assert MARK in desk_zh and ">预计</span>" in desk_zh
        idea = page(client, f"/ideas/{task.proposal_id}", "zh_Hans_CN")
        assert ">预计</span>" in idea


def test_entering_2027_and_marking_it_complete_counts_the_deadline_again(client, auth, office, across_new_year):
    task = across_new_year
    coordinator = office.coordinator
    for day in (date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)):
        cal.set_day(day, False, "元旦", coordinator)
    cal.set_day(date(2027, 1, 9), True, "调休上班", coordinator)  # a make-up Saturday
    db.session.commit()
    # Dec 21–31 (1–9), Jan 4–8 (10–14), Sat 9 Jan (15), Jan 11–15 (16–20): counted again, still an estimate.
    assert task.reply_due == date(2027, 1, 15)
    assert operations.deadline_estimated(task) is True
    auth.login("coord")
    client.set_cookie("lang", "en")
    response = client.post("/coordinator/calendar/years/2027/complete", follow_redirects=True)
    assert "2027 is complete" in response.get_data(as_text=True)
    db.session.refresh(task)
    assert task.reply_due == date(2027, 1, 15)
    assert not any(operations.deadline_estimated(task, which) for which in operations.DEADLINES)
    logged = list(db.session.scalars(select(Event).where(Event.action == "task_deadlines_recounted")
                                     .order_by(Event.id)))
    assert logged and logged[-1].data["task"] == task.id and logged[-1].data["estimated"] == []
    assert logged[0].data["before"]["reply_due"] == "2027-01-18"
    assert db.session.scalar(select(Event).where(Event.action == "calendar_year_completed")).data == {"year": 2027}
    with clock.freeze(at("2026-12-21")):
        html = page(client, f"/tasks/{task.id}", "en")
    assert MARK not in html
    # The children read on the idea's page that the date was counted again, and the date as they say it.
    story = page(client, f"/ideas/{task.proposal_id}", "en")
    assert "answer date was counted again: January 15, 2027." in story
    assert "答复期限已重新计算：2027年1月15日" in page(client, f"/ideas/{task.proposal_id}", "zh_Hans_CN")
    # Marking twice does nothing; the package's own years and years past 2100 are refused.
    assert cal.mark_year_complete(2027, coordinator) == []
    with pytest.raises(DomainError):
        cal.mark_year_complete(2026, coordinator)
    with pytest.raises(DomainError):
        cal.mark_year_complete(2101, coordinator)


def test_marking_the_year_complete_alone_ends_the_estimate(office, across_new_year):
    task = across_new_year
    recounted = cal.mark_year_complete(2027, office.coordinator)
    db.session.commit()
    assert recounted == [task]
    assert task.reply_due == date(2027, 1, 18)  # the rule's estimate was right: 1 Jan off, nothing else
    assert operations.deadline_estimated(task) is False


def test_an_extended_answer_date_stays_when_the_year_is_counted_again(office, across_new_year):
    task = across_new_year
    operations.acknowledge(task, office.staff[0], now=at("2026-12-21"))
    operations.request_extension(task, office.staff[0], date(2027, 2, 26), "需要等年度预算。")
    operations.decide_extension(task, office.coordinator, approve=True)
    cal.set_day(date(2027, 1, 4), False, "", office.coordinator)
    cal.mark_year_complete(2027, office.coordinator)
    db.session.commit()
    assert task.reply_due == date(2027, 2, 26)
    assert task.acknowledge_due == date(2026, 12, 23)


def test_a_task_within_a_known_year_is_never_marked(client, auth, office):
    task = only_task(office.routed(now=at("2026-06-01")))
    assert not any(operations.deadline_estimated(task, which) for which in operations.DEADLINES)
    auth.login("staff0")
    with clock.freeze(at("2026-06-02")):
        assert MARK not in page(client, f"/tasks/{task.id}", "en")
        assert MARK not in page(client, "/desk", "en")
        assert MARK not in page(client, f"/ideas/{task.proposal_id}", "en")


def test_the_due_soon_mail_says_the_date_is_estimated(app, office, across_new_year):
    from council.notifications.models import OutboxMail

    task = across_new_year
    office.staff[0].locale = "en"
    operations.acknowledge(task, office.staff[0], now=at("2026-12-21"))
    db.session.commit()
    remind(now=at("2027-01-13"))  # three working days before Mon 18 Jan
    subjects = [m.subject for m in db.session.scalars(select(OutboxMail).where(OutboxMail.recipient ==
                                                                               "staff0@example.org"))]
    assert any("answer by January 18, 2027 (estimated)" in s for s in subjects), subjects  # as the reader says it


@pytest.mark.parametrize("day", ["2030-05-01", "2030-10-01", "2030-10-02", "2030-10-03", "2027-01-01"])
def test_the_fixed_holidays_of_an_unknown_year_are_days_off(day):
    assert cal.is_workday(date.fromisoformat(day)) is False


def test_other_weekdays_of_an_unknown_year_count():
    assert cal.is_workday(date(2030, 10, 4)) is True  # Friday
    assert cal.is_workday(date(2030, 10, 5)) is False  # Saturday
    assert cal.is_workday(date(2030, 5, 2)) is True


def test_nothing_crashes_for_any_year_up_to_2100(app):
    for year in range(2027, 2101):
        end = cal.add_workdays(date(year, 12, 20), 40)
        assert cal.workdays_between(date(year, 12, 20), end) == 40
        assert cal.is_estimated(date(year, 12, 20), end) is True
    assert cal.is_estimated(date(2026, 1, 5), cal.add_workdays(date(2026, 1, 5), 40)) is False


def test_the_shortcut_for_known_years_agrees_with_the_rule_at_every_year_boundary(app):
    """``deadline_estimated`` answers a deadline in a known year without the dispatch day on the district's clock;
    at the package's first and last years, a dispatch either side of the district's midnight, it must give what
    the rule itself (``is_estimated`` from the district's day) gives."""
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    known = cal.known_years()
    with app.app_context():
        for year in (known.start, known.stop - 1, known.stop):
            for moment in (datetime(y, 12, 31, hour, minute, tzinfo=UTC)
                           for y in (year - 1, year) for hour, minute in ((15, 59), (16, 1))):
                for days in (0, 1, 3, 20, 400):
                    end = clock.local_day(moment) + timedelta(days=days)
                    task = SimpleNamespace(dispatched_at=moment, reply_due=end)
                    assert operations.deadline_estimated(task, completed=set()) == cal.is_estimated(
                        clock.local_day(moment), end, set()), (moment, end)
