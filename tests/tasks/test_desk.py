"""The unit desk reads one page of tasks, most urgent first, in the order ``urgency`` defines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from council.calendar import clock
from council.extensions import db
from council.tasks.models import Task
from council.tasks.queries import FILTERS, WAITING, desk, desk_waiting, urgency
from council.units.models import Unit
from tests.accounts.test_views import DEMO_PASSWORD


@pytest.mark.parametrize("show", FILTERS)
@pytest.mark.parametrize("days", [0, 10, 40])
def test_the_database_orders_the_desk_as_urgency_says(demo, show, days):
    today = clock.today() + timedelta(days=days)  # later days: more tasks overdue, some very overdue
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(select(Task.unit_id)))))
    everything, total = desk(units, show, today)
    assert total == len(everything)
    by_id = sorted(everything, key=lambda t: t.id)
    assert everything == sorted(by_id, key=lambda t: urgency(t, today))
    pages = [desk(units, show, today, page=n, per_page=3)[0] for n in range(1, (total + 2) // 3 + 1)]
    assert [t for page in pages for t in page] == everything
    # the desk's head counts, in one pass, what each filter lists, the filter shown included
    counted = desk_waiting(units, today, also=show)
    assert counted[show] == total
    assert all(counted[waiting] == desk(units, waiting, today)[1] for waiting in WAITING)


def test_the_desk_pages_through_many_tasks(client, auth, demo, app):
    app.config["DESK_PER_PAGE"] = 1
    auth.login("unit_edu", DEMO_PASSWORD)
    first = client.get("/desk?show=all").get_data(as_text=True)
    assert "page=2" in first
    assert client.get("/desk?show=all&page=2").status_code == 200
    from council.accounts.models import Account

    staff = db.session.scalar(select(Account).where(Account.username == "unit_edu"))
    total = desk(staff.current_units(), "all", clock.today())[1]
    past_the_end = client.get("/desk?show=all&page=9999").get_data(as_text=True)
    assert 'href="/tasks/' in past_the_end  # the last page, with its task, not "nothing here"
    assert f"show=all&amp;page={total - 1}" in past_the_end and f"page={total + 1}" not in past_the_end


def test_a_kept_desk_row_shows_the_task_as_it_is_now(client, auth, demo):
    """Desk rows are rendered once per worker (council/templating.py: kept_macro), keyed by everything a row
    shows: acknowledging a task must change its row at once, and each language gets its own."""
    from council.accounts.models import Account
    from council.tasks import operations
    from council.tasks.models import TaskState

    staff = db.session.scalar(select(Account).where(Account.username == "unit_edu"))
    task = db.session.scalar(select(Task).where(Task.unit_id.in_([u.id for u in staff.current_units()]),
                                                Task.state == TaskState.dispatched).order_by(Task.id))
    auth.login("unit_edu", DEMO_PASSWORD)
    client.set_cookie("lang", "en")

    def row() -> str:
        page = client.get("/desk?show=all").get_data(as_text=True)
        start = page.index(f'href="/tasks/{task.id}"')
        return page[start:page.index("</li>", start)]

    assert "Sent to the unit" in row() and "acknowledge by" in row()
    operations.acknowledge(task, staff)
    db.session.commit()
    assert "Received by the unit" in row() and "answer by" in row() and "acknowledge by" not in row()
    client.set_cookie("lang", "zh_Hans_CN")
    assert "承办单位已签收" in row() and "Received by the unit" not in row()
