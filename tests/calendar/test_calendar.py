"""Working days on the official calendar, checked against real 2025 and 2026 State Council holiday notices."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays, workdays
from sqlalchemy import event, select

from council.accounts.models import SystemRole
from council.audit.models import Event
from council.calendar import clock
from council.calendar import operations as cal
from council.calendar.models import CalendarDay
from council.errors import DomainError, PermissionDenied
from council.extensions import db

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def coordinator(make):
    account = make.adult("calendar_office", system_role=SystemRole.coordinator)
    db.session.commit()
    return account


def d(text: str) -> date:
    return date.fromisoformat(text)


def off_days(year: int, name: str) -> list[date]:
    return sorted(day for day, holiday in holidays.items() if day.year == year and holiday == name)


def make_up_days(year: int, name: str) -> list[date]:
    return sorted(day for day, holiday in workdays.items() if day.year == year and holiday == name)


def span(first: str, last: str) -> list[date]:
    start = d(first)
    return [start + timedelta(days=i) for i in range((d(last) - start).days + 1)]


def events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


# --- the package's data is the published notice -----------------------------------------------------------


@pytest.mark.parametrize(("year", "name", "off", "make_up"), [
    (2025, "Spring Festival", span("2025-01-28", "2025-02-04"), ["2025-01-26", "2025-02-08"]),  # Sun, Sat
    (2025, "Labour Day", span("2025-05-01", "2025-05-05"), ["2025-04-27"]),  # Sun
    (2026, "Spring Festival", span("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),  # Sat, Sat
    (2026, "Labour Day", span("2026-05-01", "2026-05-05"), ["2026-05-09"]),  # Sat
    (2026, "National Day", span("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),  # Sun, Sat
])
def test_the_package_holds_the_published_holidays(year, name, off, make_up):
    assert off_days(year, name) == off
    assert make_up_days(year, name) == [d(day) for day in make_up]


def test_national_day_2025_shares_its_week_with_mid_autumn():
    off = off_days(2025, "National Day") + off_days(2025, "Mid-autumn Festival")
    assert sorted(off) == span("2025-10-01", "2025-10-08")
    assert make_up_days(2025, "National Day") == [d("2025-09-28"), d("2025-10-11")]  # Sun, Sat


def test_mid_autumn_2026_is_its_own_long_weekend():
    assert off_days(2026, "Mid-autumn Festival") == span("2026-09-25", "2026-09-27")  # Fri–Sun


def test_known_years_are_those_of_the_package():
    assert cal.known_years() == range(2004, 2027)


# --- one day -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    ("2025-10-01", False),  # National Day, a Wednesday
    ("2025-10-06", False),  # Mid-Autumn, a Monday
    ("2025-09-28", True),   # make-up Sunday
    ("2025-10-11", True),   # make-up Saturday
    ("2025-10-09", True),   # back to work
    ("2026-02-16", False),  # Spring Festival, a Monday
    ("2026-02-28", True),   # make-up Saturday
    ("2026-05-09", True),   # make-up Saturday
    ("2026-10-07", False),  # National Day, a Wednesday
    ("2027-01-01", False),  # New Year's Day, a Friday in a year the package does not know: fixed day off
    ("2027-01-04", True),   # a Monday in that year: weekdays count
    ("2027-01-02", False),  # a Saturday in that year
    ("2003-12-31", True),   # a Wednesday before the package's first year
])
def test_is_workday_follows_the_official_calendar(day, expected):
    assert cal.is_workday(d(day)) is expected


def test_an_override_wins_over_the_package():
    assert cal.is_workday(d("2025-10-09"), {d("2025-10-09"): False}) is False
    assert cal.is_workday(d("2025-10-04"), {d("2025-10-04"): True}) is True


# --- counting forward ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "expected"), [
    # National Day 2025: from Tue 30 Sep, 1 Oct – 8 Oct are off, so day 1 is Thu 9 Oct, 2 Fri 10 Oct,
    # and 3 the make-up Sat 11 Oct.
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-09-30", 3, "2025-10-11"),
    # … 20: Oct 9 10 11(Sat) 13 14 15 16 17 20 21 22 23 24 27 28 29 30 31 (18), Nov 3 (19), Nov 4 (20).
    ("2025-09-30", 20, "2025-11-04"),
    # From Fri 26 Sep 2025 the next working day is the make-up Sunday 28 Sep.
    ("2025-09-26", 1, "2025-09-28"),
    # Spring Festival 2025: from Fri 24 Jan, 1 = make-up Sun 26 Jan, 2 = Mon 27 Jan, 28 Jan – 4 Feb off,
    # 3 = Wed 5 Feb.
    ("2025-01-24", 3, "2025-02-05"),
    # … 4 Feb 6, 5 Feb 7, 6 make-up Sat Feb 8, then Feb 10–14 (7–11), 17–21 (12–16), 24 25 26 27 (17–20).
    ("2025-01-24", 20, "2025-02-27"),
    # Labour Day 2025: from Wed 30 Apr, 1 – 5 May are off; day 1 is Tue 6 May.
    ("2025-04-30", 1, "2025-05-06"),
    # Spring Festival 2026: from Thu 12 Feb, 1 = Fri 13, 2 = make-up Sat 14, 15 – 23 Feb off, 3 = Tue 24 Feb.
    ("2026-02-12", 3, "2026-02-24"),
    # … 4–6 Feb 25 26 27, 7 make-up Sat Feb 28, Mar 2–6 (8–12), 9–13 (13–17), 16 17 18 (18–20).
    ("2026-02-12", 20, "2026-03-18"),
    # Labour Day 2026: from Thu 30 Apr, 1 – 5 May off; 6 7 8 May, then the make-up Sat 9 May is day 4.
    ("2026-04-30", 4, "2026-05-09"),
    # National Day 2026: from Wed 30 Sep, 1 – 7 Oct off; Thu 8, Fri 9, make-up Sat 10 Oct.
    ("2026-09-30", 3, "2026-10-10"),
    ("2025-09-30", 0, "2025-09-30"),
])
def test_add_workdays_skips_holidays_and_counts_make_up_days(start, n, expected):
    assert cal.add_workdays(d(start), n) == d(expected)


def test_counting_into_a_year_the_package_does_not_know_uses_weekdays_but_the_fixed_holidays():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(d("2027-01-01"))
    # From Wed 30 Dec 2026: Thu 31 Dec (1), New Year's Day off, Mon 4 Jan (2), Tue 5 Jan (3).
    assert cal.add_workdays(d("2026-12-30"), 3) == d("2027-01-05")
    # … Jan 6–8 (4–6), 11–15 (7–11), 18–22 (12–16), 25 26 27 28 (17–20).
    assert cal.add_workdays(d("2026-12-30"), 20) == d("2027-01-28")
    # far beyond the package: still no crash; Thu 1 Jan 2032 is off, Fri 2 Jan is the first working day
    assert cal.add_workdays(d("2031-12-31"), 1) == d("2032-01-02")


def test_the_office_entries_for_2027_change_the_count(make):
    office = make.adult(system_role=SystemRole.coordinator)
    cal.set_day(d("2027-01-01"), False, "元旦", office)
    # Thu 31 Dec (1), New Year's Day off, Mon 4 Jan (2), Tue 5 Jan (3).
    assert cal.add_workdays(d("2026-12-30"), 3) == d("2027-01-05")
    cal.set_day(d("2027-01-02"), True, "元旦调休上班", office)
    # Thu 31 Dec (1), make-up Sat 2 Jan (2), Mon 4 Jan (3).
    assert cal.add_workdays(d("2026-12-30"), 3) == d("2027-01-04")
    assert cal.workdays_after(d("2026-12-30"), 3) == [d("2026-12-31"), d("2027-01-02"), d("2027-01-04")]


def test_an_office_entry_also_corrects_a_year_the_package_knows(make):
    cal.set_day(d("2025-10-09"), False, "", make.adult(system_role=SystemRole.coordinator))
    assert cal.add_workdays(d("2025-09-30"), 1) == d("2025-10-10")


def test_a_long_run_of_entered_days_off_is_still_counted_correctly(make):
    office = make.adult(system_role=SystemRole.coordinator)
    for i in range(60):  # longer than the first window add_workdays reads
        cal.set_day(d("2027-03-01") + timedelta(days=i), False, "", office)
    # 1 Mar – 29 Apr 2027 off; Fri 26 Feb (1), then Fri 30 Apr (2).
    assert cal.add_workdays(d("2027-02-25"), 2) == d("2027-04-30")


def test_add_workdays_refuses_a_negative_count():
    with pytest.raises(ValueError):
        cal.add_workdays(d("2025-09-30"), -1)


def test_add_workdays_reads_the_entries_once():
    statements = []

    def listener(connection, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        cal.add_workdays(d("2026-12-30"), 40)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "calendar_days" in s]) == 1


# --- counting between two dates ------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2025-09-30", "2025-10-11", 3),   # Oct 9, 10 and the make-up Sat 11
    ("2025-09-30", "2025-10-08", 0),   # the whole holiday week
    ("2025-01-24", "2025-02-08", 6),   # Jan 26 (Sun), 27, Feb 5, 6, 7, 8 (Sat)
    ("2026-02-12", "2026-02-28", 7),   # Feb 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat)
    ("2026-12-30", "2027-01-04", 2),   # Dec 31, Jan 4 (New Year's Day is off in an unknown year too)
    ("2025-10-11", "2025-10-11", 0),
    ("2025-10-11", "2025-10-01", 0),
])
def test_workdays_between(start, end, expected):
    assert cal.workdays_between(d(start), d(end)) == expected


def test_workdays_between_undoes_add_workdays_and_sees_entries(make):
    for start in ("2025-01-24", "2025-09-26", "2026-02-12", "2026-09-18", "2026-12-30"):
        for n in (1, 3, 20, 40):
            assert cal.workdays_between(d(start), cal.add_workdays(d(start), n)) == n
    cal.set_day(d("2027-01-01"), False, "元旦", make.adult(system_role=SystemRole.coordinator))
    assert cal.workdays_between(d("2026-12-30"), d("2027-01-04")) == 2


# --- what the office must still do ---------------------------------------------------------------------------

def test_needs_attention_names_2027_once_deadlines_can_reach_it(make):
    # 120 days ahead: a task dispatched now with 40 working days to go can end in that year.
    assert cal.needs_attention(d("2025-06-01")) == []
    assert cal.needs_attention(d("2026-09-02")) == []        # 120 days ahead is 31 Dec 2026
    assert cal.needs_attention(d("2026-09-03")) == [2027]    # 120 days ahead is 1 Jan 2027
    assert cal.needs_attention(d("2026-11-27")) == [2027]
    office = make.adult(system_role=SystemRole.coordinator)
    cal.set_day(d("2027-01-01"), False, "元旦", office)
    assert cal.needs_attention(d("2026-11-27")) == [2027]  # one date is not the whole year's notice
    cal.mark_year_complete(2027, office)
    assert cal.needs_attention(d("2026-11-27")) == []
    assert cal.needs_attention(d("2027-10-01")) == [2028]


# --- entering and removing dates -----------------------------------------------------------------------------

def test_set_day_updates_the_one_entry_for_a_date_and_records_each_change(coordinator):
    first = cal.set_day(d("2027-01-01"), False, " 元旦 ", coordinator)
    db.session.commit()
    again = cal.set_day(d("2027-01-01"), True, "", coordinator)
    db.session.commit()

    assert again.id == first.id
    [entry] = db.session.scalars(select(CalendarDay)).all()
    assert (entry.day, entry.is_workday, entry.note, entry.added_by_id) == (d("2027-01-01"), True, "",
                                                                             coordinator.id)
    set_events = events("calendar_day_set")
    assert [(e.from_state, e.to_state, e.subject_type, e.subject_id, e.actor_id) for e in set_events] == [
        (None, "day_off", "calendar_days", entry.id, coordinator.id),
        ("day_off", "workday", "calendar_days", entry.id, coordinator.id),
    ]
    assert set_events[0].data == {"day": "2027-01-01", "note": "元旦"}


def test_remove_day_gives_the_date_back_to_the_package(coordinator):
    entry = cal.set_day(d("2025-10-09"), False, "", coordinator)
    db.session.commit()
    cal.remove_day(entry.id, coordinator)
    db.session.commit()

    assert db.session.scalars(select(CalendarDay)).all() == []
    assert cal.is_workday(d("2025-10-09")) is True
    [removed] = events("calendar_day_removed")
    assert (removed.subject_id, removed.from_state, removed.data["day"]) == (entry.id, "day_off", "2025-10-09")
    cal.remove_day(entry.id, coordinator)  # a second click finds nothing to do
    assert len(events("calendar_day_removed")) == 1


def test_only_the_coordinating_office_changes_the_calendar(make, coordinator):
    entry = cal.set_day(d("2027-01-01"), False, "", coordinator)
    db.session.commit()
    district = make.council()
    for account in (make.adult(role="facilitator", council=district), make.child(district), make.adult()):
        with pytest.raises(PermissionDenied):
            cal.set_day(d("2027-01-02"), True, "", account)
        with pytest.raises(PermissionDenied):
            cal.remove_day(entry.id, account)
    assert events("calendar_day_set")[-1].subject_id == entry.id and len(events("calendar_day_set")) == 1


def test_a_note_may_not_be_too_long(coordinator):
    with pytest.raises(DomainError):
        cal.set_day(d("2027-01-01"), False, "长" * 121, coordinator)


# --- the office's page ---------------------------------------------------------------------------------------

def test_the_coordinator_enters_and_removes_a_date_on_the_page(client, auth, coordinator):
    auth.login("calendar_office")
    html = client.get("/coordinator/calendar").get_data(as_text=True)
    for day in cal.workdays_after(clock.today(), 20):  # the check list shows the effect of the calendar
        assert f'datetime="{day.isoformat()}"' in html

    response = client.post("/coordinator/calendar", data={"day": "2027-01-01", "kind": "day_off", "note": "元旦"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/coordinator/calendar")
    [entry] = db.session.scalars(select(CalendarDay)).all()
    assert (entry.day, entry.is_workday, entry.note, entry.added_by_id) == (d("2027-01-01"), False, "元旦",
                                                                             coordinator.id)
    html = client.get("/coordinator/calendar").get_data(as_text=True)
    assert '<time datetime="2027-01-01">' in html and "元旦" in html

    response = client.post(f"/coordinator/calendar/{entry.id}/delete")
    assert response.status_code == 302
    assert db.session.scalars(select(CalendarDay)).all() == []
    assert [e.action for e in events("calendar_day_set") + events("calendar_day_removed")] == [
        "calendar_day_set", "calendar_day_removed"]


def test_the_page_warns_about_a_year_without_holidays_until_it_is_marked_complete(client, auth, coordinator):
    client.set_cookie("lang", "en")
    auth.login("calendar_office")
    missing = cal.needs_attention(clock.today())
    html = client.get("/coordinator/calendar").get_data(as_text=True)
    assert ("Holidays still missing" in html) is bool(missing)
    for year in missing:
        assert f"{year}: add the holidays and make-up working days" in html
        assert f"All holidays of {year} are entered" in html
        cal.set_day(date(year, 1, 1), False, "", coordinator)
        db.session.commit()
        assert "Holidays still missing" in client.get("/coordinator/calendar").get_data(as_text=True)
        assert client.post(f"/coordinator/calendar/years/{year}/complete").status_code == 302
    assert "Holidays still missing" not in client.get("/coordinator/calendar").get_data(as_text=True)


def test_a_missing_date_is_refused_with_a_message(client, auth, coordinator):
    client.set_cookie("lang", "en")
    auth.login("calendar_office")
    response = client.post("/coordinator/calendar", data={"day": "", "kind": "workday", "note": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "Choose a date." in html
    assert db.session.scalars(select(CalendarDay)).all() == []


def test_others_may_not_open_or_change_the_calendar(client, auth, make, coordinator):
    entry = cal.set_day(d("2027-01-01"), False, "", coordinator)
    db.session.commit()
    district = make.council()
    make.adult("calendar_facilitator", role="facilitator", council=district)
    make.child(district, username="calendar_child")
    db.session.commit()

    assert client.get("/coordinator/calendar").status_code == 302  # visitors are sent to sign in
    for username in ("calendar_facilitator", "calendar_child"):
        auth.login(username)
        assert client.get("/coordinator/calendar").status_code == 403
        assert client.post("/coordinator/calendar", data={"day": "2027-01-02", "kind": "workday"}).status_code == 403
        assert client.post(f"/coordinator/calendar/{entry.id}/delete").status_code == 403
        auth.logout()
    assert [row.day for row in db.session.scalars(select(CalendarDay))] == [d("2027-01-01")]
