"""A unit that sent a task back can be given it again, on the same task, with the office's note answering its
reason: dispatched anew, deadlines counted from the new dispatch, on the record, the unit told. Any other state is
refused with a clear message, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from council.audit.models import Event
from council.calendar.operations import add_workdays
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import ProposalState
from council.tasks import operations, stats
from council.tasks.models import Grade, Task, TaskRole, TaskState
from tests.conftest import PASSWORD
from tests.tasks.conftest import at

S, T = ProposalState, TaskState
REASON = "路灯归住建局管，不归教育局。"
NOTE = "这盏灯在学校围墙里，是学校的设施，请教育局牵头。"
SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"


def _as(app, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def returned(office, **kwargs):
    proposal = office.routed(now=at("2026-03-02"), **kwargs)  # Monday
    task = operations.tasks_of(proposal)[0]
    operations.send_back(task, office.staff[0], REASON, now=at("2026-03-03"))
    db.session.commit()
    return proposal, task


def test_the_office_gives_the_returned_task_again_to_the_same_unit_with_a_note(office):
    proposal, task = returned(office)
    first_id = task.id
    tasks = operations.route(proposal, office.coordinator, lead=office.units[0], note=NOTE, now=at("2026-03-10"))
    db.session.commit()
    assert [t.id for t in tasks] == [first_id]  # the same row, not a second task
    assert db.session.scalar(select(func.count(Task.id)).where(Task.proposal_id == proposal.id)) == 1
    db.session.refresh(task)
    assert task.state is T.dispatched and task.role is TaskRole.lead and task.note == NOTE
    # Deadlines counted anew from Tue 10 March 2026 on the working-day calendar.
    assert task.acknowledge_due == add_workdays(date(2026, 3, 10), 3) == date(2026, 3, 13)
    assert task.reply_due == add_workdays(date(2026, 3, 10), 20)
    assert task.very_overdue_on == add_workdays(date(2026, 3, 10), 40)
    assert task.return_reason == REASON  # the reason it answers stays beside the note
    assert not operations.needs_routing(proposal)
    event = db.session.scalars(select(Event).where(Event.action == "task_redispatched")).one()
    assert (event.from_state, event.to_state, event.reason) == ("returned", "dispatched", NOTE)
    assert event.data["task"] == task.id
    told = db.session.scalars(select(Notification).where(Notification.account_id == office.staff[0].id,
                                                         Notification.kind == "task_for_unit")).all()
    assert told and told[-1].params["due"] == "2026-03-13"  # the unit is told the new date to acknowledge by


def test_the_unit_then_works_the_task_as_any_other(office):
    proposal, task = returned(office)
    operations.redispatch(task, office.coordinator, NOTE, now=at("2026-03-10"))
    operations.acknowledge(task, office.staff[0], now=at("2026-03-11"))
    assert task.acknowledged_late is False  # judged against the new date, not the first one (5 March)
    operations.reply(task, office.staff[0], grade=Grade.A, summary=SUMMARY, now=at("2026-03-12"))
    assert task.workdays_to_reply == 2 and proposal.state is S.answered
    db.session.commit()
    (figures,) = [f for f in stats.unit_figures(None, None, date(2026, 3, 12)) if f.unit.id == office.units[0].id]
    assert (figures.dispatched, figures.acknowledged_on_time, figures.replied, figures.returns) == (1, 1, 1, 1)


def test_giving_it_again_needs_a_note_that_answers_the_reason(office):
    proposal, task = returned(office)
    with pytest.raises(DomainError) as refused:
        operations.route(proposal, office.coordinator, lead=office.units[0], note="  ")
    assert refused.value.field == "note"
    with pytest.raises(DomainError) as refused:
        operations.redispatch(task, office.coordinator, "")
    assert refused.value.field == "note"
    with pytest.raises(DomainError) as refused:
        operations.redispatch(task, office.coordinator, "长" * (operations.NOTE_MAX + 1))
    assert refused.value.field == "note"
    assert task.state is T.returned


@pytest.mark.parametrize("state", ["dispatched", "acknowledged", "in_progress", "replied", "withdrawn"])
def test_any_other_state_is_refused_with_its_name(office, state):
    proposal = office.routed(co=(1,))
    task = operations.tasks_of(proposal)[1]
    if state != "dispatched":
        if state == "withdrawn":
            operations.withdraw(task, office.coordinator, "派错了")
        else:
            operations.acknowledge(task, office.staff[1])
        if state == "in_progress":
            operations.post_progress(task, office.staff[1], "已经派人去看了。")
        if state == "replied":
            operations.reply(task, office.staff[1], grade=Grade.B, summary=SUMMARY)
    with pytest.raises(DomainError) as refused:
        operations.redispatch(task, office.coordinator, NOTE)
    assert str(TaskState(state).label) in refused.value.message
    assert task.state is TaskState(state)


def test_only_the_office_and_only_while_the_idea_waits_for_its_units(office):
    proposal, task = returned(office, co=(1,))
    with pytest.raises(PermissionDenied):
        operations.redispatch(task, office.staff[0], NOTE)
    # Another lead took it meanwhile: the unit may come back as a co-unit, not as a second lead.
    operations.route(proposal, office.coordinator, lead=office.units[2])
    with pytest.raises(DomainError):
        operations.redispatch(task, office.coordinator, NOTE)
    operations.route(proposal, office.coordinator, lead=None, co_units=[office.units[0]], note=NOTE)
    assert (task.state, task.role) == (T.dispatched, TaskRole.co)


def test_a_unit_switched_off_is_not_given_it_again(office):
    proposal, task = returned(office)
    office.units[0].is_active = False
    with pytest.raises(DomainError):
        operations.redispatch(task, office.coordinator, NOTE)
    assert task.state is T.returned


def test_the_route_page_gives_it_again_instead_of_400(app, office):
    proposal, task = returned(office)
    coordinator = _as(app, "coord")
    page = coordinator.get(f"/ideas/{proposal.id}/route").get_data(as_text=True)
    assert REASON in page
    empty = coordinator.post(f"/ideas/{proposal.id}/route", data={"lead": office.units[0].id, "note": ""})
    assert empty.status_code == 400 and "回应它的退回理由" in empty.get_data(as_text=True)
    sent = coordinator.post(f"/ideas/{proposal.id}/route", data={"lead": office.units[0].id, "note": NOTE})
    assert sent.status_code == 302
    db.session.refresh(task)
    assert task.state is T.dispatched and task.note == NOTE
    # The unit reads the office's note beside its own reason.
    unit_page = _as(app, "staff0").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert NOTE in unit_page and REASON in unit_page and "退回与再次交办" in unit_page


def test_the_task_page_button_gives_it_again_and_refuses_clearly(app, office):
    proposal, task = returned(office)
    coordinator = _as(app, "coord")
    assert "再次交给这个单位" in coordinator.get(f"/tasks/{task.id}").get_data(as_text=True)
    empty = coordinator.post(f"/tasks/{task.id}/redispatch", data={"note": ""})
    assert empty.status_code == 400 and "请写一段说明" in empty.get_data(as_text=True)
    sent = coordinator.post(f"/tasks/{task.id}/redispatch", data={"note": NOTE})
    assert sent.status_code == 302
    db.session.refresh(task)
    assert task.state is T.dispatched
    again = coordinator.post(f"/tasks/{task.id}/redispatch", data={"note": NOTE}, follow_redirects=True)
    assert again.status_code == 200 and "只有单位退回的任务才能再次交给它" in again.get_data(as_text=True)
    assert _as(app, "staff0").post(f"/tasks/{task.id}/redispatch", data={"note": NOTE}).status_code in (302, 403)
    assert db.session.scalar(select(func.count(Event.id)).where(Event.action == "task_redispatched")) == 1
