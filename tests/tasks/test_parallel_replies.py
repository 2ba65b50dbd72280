"""Units answering one idea's tasks at the same moment: the idea is answered once, when the last answer is in.

Found by bench/writes.py on PostgreSQL: each reply counted the idea's answered tasks without the others' (not
committed yet), so with every task answered the idea could stay routed, unrated and without its message."""

from __future__ import annotations

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import Proposal, ProposalState
from council.tasks import operations
from council.tasks.models import Task, TaskState
from tests.concurrency import parallel
from tests.conftest import PASSWORD

SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"


def test_three_units_replying_at_the_same_moment_answer_the_idea_once(app, office):
    ideas = []
    for n in range(10):  # a few rounds: one lucky interleaving would not prove much
        proposal = office.routed(lead=0, co=(1, 2), title=f"学校门口的路灯 {n}")
        for task in operations.tasks_of(proposal):
            operations.acknowledge(task, office.staff[office.units.index(task.unit)])
        ideas.append(proposal)
    db.session.commit()
    clients = {}
    for i, unit in enumerate(office.units):
        client = app.test_client()
        client.post("/login", data={"username": f"staff{i}", "password": PASSWORD})
        clients[unit.id] = client

    def reply(task_id: int, unit_id: int):
        return lambda: clients[unit_id].post(f"/tasks/{task_id}/reply",
                                             data={"grade": "A", "summary": SUMMARY}).status_code

    for proposal in ideas:
        assert parallel([reply(t.id, t.unit_id) for t in operations.tasks_of(proposal)]) == [302, 302, 302]
    db.session.expire_all()
    for proposal in ideas:
        assert {t.state for t in db.session.scalars(select(Task).where(Task.proposal_id == proposal.id))} \
            == {TaskState.replied}
        assert db.session.get(Proposal, proposal.id).state is ProposalState.answered
        assert db.session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "proposal_answered", Event.subject_id == proposal.id)) == 1
    # the author and the supporter, once per idea
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "proposal_answered")) == 2 * len(ideas)


def test_the_last_answer_runs_few_statements_however_many_children_follow_the_idea(app, office, make):
    """A unit's answer that completes the idea (issue 18's writes): the task's answer in the one claimed UPDATE, the
    idea's answered date in its own, and each message to the children inserted together, whatever their number:
    the same statements for 1 supporter as for 12. Nothing is read after the commit."""
    from council.proposals.models import Support
    from tests.test_planner import statements

    seen_for = {}
    for supporters in (1, 12):
        proposal = office.routed(lead=0, title=f"操场的秋千 {supporters}")
        for n in range(supporters):
            child = make.child(proposal.council, username=f"fan{supporters}_{n}")
            db.session.add(Support(proposal_id=proposal.id, account_id=child.id))  # supported while it was public
        task = operations.tasks_of(proposal)[0]
        operations.acknowledge(task, office.staff[0])
        db.session.commit()
        url = f"/tasks/{task.id}"
        client = app.test_client()
        client.post("/login", data={"username": "staff0", "password": PASSWORD})
        with statements(db.engine) as seen:
            response = client.post(f"{url}/reply", data={"grade": "A", "summary": SUMMARY})
        assert response.status_code == 302 and response.headers["Location"].endswith(url)
        assert db.session.get(Proposal, proposal.id).state is ProposalState.answered
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "proposal_answered", Notification.proposal_id == proposal.id)) == 2 + supporters
        # (the office's idea has its author and a supporter already)
        seen_for[supporters] = seen
    assert len(seen_for[12]) == len(seen_for[1]) <= 22, "\n".join(seen_for[12])
