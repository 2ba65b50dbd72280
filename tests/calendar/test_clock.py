"""The district's clock has one home (council/calendar/clock.py), and what is overdue has one rule
(``Task.is_overdue``): the desk, the task page and the supervision figures agree on either side of Zhoucun's
midnight, which is 16:00 on a server that keeps UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from council.calendar import clock
from council.extensions import db
from council.tasks.models import Task
from tests.tasks.conftest import Office, at

PACKAGE = Path(__file__).resolve().parents[2] / "council"
MACHINE_TIME = re.compile(r"\bdate\.today\(|\bdatetime\.(now|utcnow|today)\(|\butcnow\(|"
                          r"\bdefault=date\.today\b|\blocaltime\(")


def test_nothing_but_the_clock_reads_the_machines_time():
    readers = [f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
               for path in PACKAGE.rglob("*.py") if path.name != "clock.py" or path.parent.name != "calendar"
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if MACHINE_TIME.search(line)]
    assert readers == []


def test_the_district_day_begins_at_1600_utc(app):
    with clock.freeze(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)):
        assert clock.today().isoformat() == "2026-12-01"
        assert clock.now() == datetime(2026, 12, 1, 15, 59, tzinfo=UTC)
    with clock.freeze(datetime(2026, 12, 1, 16, 1, tzinfo=UTC)):
        assert clock.today().isoformat() == "2026-12-02"
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 12, 1, 16, 1)).__enter__()


@pytest.mark.parametrize(("minute", "overdue"), [(59, False), (61, True)], ids=["15:59 UTC", "16:01 UTC"])
def test_desk_task_page_and_supervision_agree_on_overdue_around_midnight_in_zhoucun(client, auth, make, minute,
                                                                                     overdue):
    office = Office(make)
    proposal = office.routed(now=at("2026-03-02"))
    task = db.session.scalar(select(Task).where(Task.proposal_id == proposal.id))
    task_id, title, unit_id = task.id, proposal.title, task.unit_id
    # the evening of the day the acknowledgement is due: 23:59 in Zhoucun, or 00:01 the day after
    moment = datetime.combine(task.acknowledge_due, time(15), UTC) + timedelta(minutes=minute)
    with clock.freeze(moment):
        assert clock.today() == task.acknowledge_due + timedelta(days=int(overdue))
        client.set_cookie("lang", "en")
        auth.login("staff0")
        on_desk = title in client.get("/desk?show=overdue").get_data(as_text=True)
        task_page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
        on_task_page = '<span class="tag overdue">Overdue</span>' in task_page
        auth.logout()
        auth.login("coord")
        figures = client.get(f"/supervision/units/{unit_id}").get_data(as_text=True)
        counted = re.search(r"<dt>Overdue now</dt><dd>(\d+)</dd>", figures).group(1)
        in_sql = db.session.scalar(select(Task.is_overdue(clock.today())).where(Task.id == task_id))
    assert (on_desk, on_task_page, counted, bool(in_sql)) == (overdue, overdue, str(int(overdue)), overdue)

