from datetime import date

import pytest
from sqlalchemy import select

from council.audit.models import Event
from council.calendar.operations import add_workdays
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import ProposalState
from council.tasks import operations
from council.tasks.models import ExtensionState, Grade, RatingValue, TaskRole, TaskState
from tests.tasks.conftest import at

S, T = ProposalState, TaskState
SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"


def test_routing_makes_one_task_per_unit_with_stored_working_day_deadlines(office):
    proposal = office.adopted()
    tasks = operations.route(proposal, office.coordinator, lead=office.units[0], co_units=[office.units[1]],
                             now=at("2025-09-26"))  # Friday before the National Day break
    assert proposal.state is S.routed
    lead, co = tasks
    assert (lead.role, co.role) == (TaskRole.lead, TaskRole.co)
    # 3 working days after Fri 26 Sep 2025: Sun 28 (make-up workday), Mon 29, Tue 30.
    assert lead.acknowledge_due == date(2025, 9, 30)
    assert lead.reply_due == add_workdays(date(2025, 9, 26), 20)
    assert lead.very_overdue_on == add_workdays(date(2025, 9, 26), 40)
    # One message to the author naming both units; supporters hear the milestones only (notifications.FOLLOWER_NEWS).
    told = [n for n in db.session.scalars(select(Notification)) if n.kind == "task_dispatched"]
    assert [(n.account_id, n.params["unit"]) for n in told] == [(office.author.id, "区教育和体育局、周村交警大队")]


def test_routing_is_refused_clearly(office):
    proposal = office.adopted()
    with pytest.raises(PermissionDenied):
        operations.route(proposal, office.facilitator, lead=office.units[0])  # a district idea
    with pytest.raises(DomainError):
        operations.route(proposal, office.coordinator, lead=None)
    published = office.adopted("别的")
    published.state = S.published
    with pytest.raises(DomainError):
        operations.route(published, office.coordinator, lead=office.units[0])


def test_suggestions_come_from_the_plan_task(office, reference):
    from council.plan.models import PlanTask

    proposal = office.adopted()
    proposal.plan_task = db.session.scalar(select(PlanTask).where(PlanTask.no == 27))
    assert [u.name for u in operations.suggested_units(proposal)] == [
        "周村规划管理办公室", "区住房城乡建设局", "周村交警大队", "区交通运输局", "区综合行政执法局"]


def test_only_the_units_staff_act_on_its_task(office):
    proposal = office.routed()
    task = operations.tasks_of(proposal)[0]
    with pytest.raises(PermissionDenied):
        operations.acknowledge(task, office.staff[1])
    operations.acknowledge(task, office.staff[0])
    assert task.state is T.acknowledged


def test_acknowledged_and_replied_late_are_frozen(office):
    proposal = office.routed(now=at("2026-03-02"))  # Monday
    task = operations.tasks_of(proposal)[0]
    assert task.acknowledge_due == date(2026, 3, 5)
    operations.acknowledge(task, office.staff[0], now=at("2026-03-06"))
    assert task.acknowledged_late is True
    operations.reply(task, office.staff[0], grade=Grade.A, summary=SUMMARY, now=at("2026-03-10"))
    assert task.replied_late is False and task.workdays_to_reply == 6


def test_overdue_is_derived_from_dates(office):
    proposal = office.routed(now=at("2026-03-02"))
    task = operations.tasks_of(proposal)[0]
    assert not task.is_overdue(date(2026, 3, 5)) and task.is_overdue(date(2026, 3, 6))
    operations.acknowledge(task, office.staff[0], now=at("2026-03-03"))
    assert not task.is_overdue(date(2026, 3, 6))
    after_reply_due = add_workdays(task.reply_due, 1)
    assert not task.is_overdue(task.reply_due) and task.is_overdue(after_reply_due)
    assert not task.is_very_overdue(task.very_overdue_on) and task.is_very_overdue(date(2026, 12, 1))


def test_return_goes_back_to_the_office_and_reroute(office):
    proposal = office.routed(co=(1,))
    lead = operations.tasks_of(proposal)[0]
    with pytest.raises(DomainError):
        operations.send_back(lead, office.staff[0], "")
    operations.send_back(lead, office.staff[0], "这是交警大队的事。")
    assert lead.state is T.returned and operations.needs_routing(proposal)
    with pytest.raises(DomainError):
        operations.route(proposal, office.coordinator, lead=office.units[1])  # already has it (as co-unit)
    operations.route(proposal, office.coordinator, lead=office.units[2])
    assert not operations.needs_routing(proposal)
    notes = [n.kind for n in db.session.scalars(select(Notification).where(
        Notification.account_id == office.coordinator.id))]
    assert "task_returned_to_office" in notes


def test_answered_only_when_every_unit_replied(office):
    proposal = office.routed(co=(1,))
    lead, co = operations.tasks_of(proposal)
    for task, staff in ((lead, office.staff[0]), (co, office.staff[1])):
        operations.acknowledge(task, staff)
    operations.post_progress(lead, office.staff[0], "已经派人去看了。")
    assert lead.state is T.in_progress
    operations.reply(lead, office.staff[0], grade=Grade.B, summary=SUMMARY)
    assert proposal.state is S.routed
    operations.reply(co, office.staff[1], grade=Grade.A, summary=SUMMARY)
    assert proposal.state is S.answered


def test_reply_needs_a_childrens_summary_and_a_reason_for_d(office):
    task = operations.tasks_of(office.routed())[0]
    operations.acknowledge(task, office.staff[0])
    with pytest.raises(DomainError):
        operations.reply(task, office.staff[0], grade=Grade.A, summary="好")
    with pytest.raises(DomainError):
        operations.reply(task, office.staff[0], grade=Grade.D, summary=SUMMARY)
    operations.reply(task, office.staff[0], grade=Grade.D, summary=SUMMARY, reason="这段路明年要改建。")
    assert task.grade is Grade.D


def test_extension_approved_moves_the_date_children_see(office):
    task = operations.tasks_of(office.routed(now=at("2026-03-02")))[0]
    operations.acknowledge(task, office.staff[0])
    with pytest.raises(DomainError):
        operations.request_extension(task, office.staff[0], task.reply_due, "需要时间")
    operations.request_extension(task, office.staff[0], date(2026, 5, 29), "要等预算批下来。")
    with pytest.raises(PermissionDenied):
        operations.decide_extension(task, office.staff[0], approve=True)
    operations.decide_extension(task, office.coordinator, approve=True)
    assert (task.reply_due, task.extensions, task.extension_state) == (date(2026, 5, 29), 1, ExtensionState.approved)


def answered(office, **kwargs):
    proposal = office.routed(**kwargs)
    task = operations.tasks_of(proposal)[0]
    operations.acknowledge(task, office.staff[0])
    operations.reply(task, office.staff[0], grade=Grade.A, summary=SUMMARY)
    db.session.commit()
    return proposal


def test_not_satisfied_author_reopens_once_then_second_answer_closes(office):
    proposal = answered(office)
    operations.rate(proposal, office.author, RatingValue.not_satisfied, "灯还是不亮")
    assert proposal.state is S.reopened
    operations.route(proposal, office.coordinator, lead=office.units[0])
    assert proposal.route_round == 2
    task = operations.tasks_of(proposal, 2)[0]
    operations.acknowledge(task, office.staff[0])
    operations.reply(task, office.staff[0], grade=Grade.A, summary=SUMMARY)
    operations.rate(proposal, office.author, RatingValue.not_satisfied)
    assert proposal.state is S.closed  # it reopens only once


def test_satisfied_author_closes_and_supporters_only_rate(office):
    proposal = answered(office)
    operations.rate(proposal, office.supporter, RatingValue.partly)
    assert proposal.state is S.answered
    with pytest.raises(DomainError):
        operations.rate(proposal, office.supporter, RatingValue.satisfied)  # once
    operations.rate(proposal, office.author, RatingValue.satisfied)
    assert proposal.state is S.closed


def test_strangers_and_adults_cannot_rate(office, make):
    proposal = answered(office)
    stranger = make.child(office.community, username="stranger")
    with pytest.raises(PermissionDenied):
        operations.rate(proposal, stranger, RatingValue.satisfied)
    with pytest.raises(PermissionDenied):
        operations.rate(proposal, office.staff[0], RatingValue.satisfied)


def test_quiet_answers_close_after_the_configured_days(office, app):
    proposal = answered(office)
    proposal.answered_at = at("2026-01-01")
    closed = operations.close_quiet_answers(now=at("2026-01-20"))
    assert closed == [proposal] and proposal.state is S.closed


def test_town_council_routes_its_own_ideas_to_its_offices(office):
    from council.units.models import Unit, UnitKind

    street_office = Unit(name="甲街道办事处", kind=UnitKind.office, council=office.street, tier=office.street.tier)
    db.session.add(street_office)
    proposal = office.adopted(council=office.street)
    assert operations.suggested_units(proposal)[0] == street_office
    operations.route(proposal, office.street_facilitator, lead=street_office)
    assert proposal.state is S.routed


def test_every_step_is_on_the_ideas_record(office):
    proposal = answered(office)
    actions = [e.action for e in db.session.scalars(select(Event).where(
        Event.subject_type == "proposals", Event.subject_id == proposal.id).order_by(Event.id))]
    assert actions[-5:] == ["proposal_routed", "task_dispatched", "task_acknowledged", "task_replied",
                            "proposal_answered"]
