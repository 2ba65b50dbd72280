"""A unit's parallel taps: one acknowledgement, one event on the idea's timeline (council/claims.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.tasks.models import Task, TaskState
from tests.concurrency import parallel
from tests.conftest import PASSWORD


def test_parallel_acknowledgements_acknowledge_once(app, office):
    proposal = office.routed()
    task = db.session.scalar(select(Task).where(Task.proposal_id == proposal.id))
    url = f"/tasks/{task.id}/acknowledge"
    taps = []
    for _i in range(6):
        client = app.test_client()
        client.post("/login", data={"username": "staff0", "password": PASSWORD})
        taps.append(client)
    statuses = parallel([lambda c=c: c.post(url).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.get(Task, task.id).state is TaskState.acknowledged
    events = db.session.scalar(select(func.count()).select_from(Event).where(Event.action == "task_acknowledged"))
    assert events == 1
