"""A unit's parallel taps: one acknowledgement, one event on the idea's timeline (council/claims.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.notifications.models import Notification, OutboxMail
from council.proposals import operations as ideas
from council.proposals.models import Proposal, ProposalState
from council.tasks import operations
from council.tasks.models import Grade, Rating, Task, TaskState
from tests.concurrency import count_rows, parallel, signed_in_clients
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


SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"


# --- the children's rating: one rating per child, one reopening, one closing (tasks.operations.rate) -----------

def _answered(office, proposal=None):
    proposal = proposal or office.routed()
    if proposal.state is not ProposalState.routed:
        operations.route(proposal, office.coordinator, lead=office.units[0])
    task = operations.tasks_of(proposal)[0]
    operations.acknowledge(task, office.staff[0])
    operations.reply(task, office.staff[0], grade=Grade.A, summary=SUMMARY)
    db.session.commit()
    assert proposal.state is ProposalState.answered
    return proposal



def _rate_in_parallel(taps, proposal, value: str):
    url = f"/ideas/{proposal.id}/rate"
    statuses = parallel([lambda c=c: c.post(url, data={"value": value}).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    return statuses



def test_eight_parallel_not_satisfied_taps_reopen_once_with_one_message_and_one_mail(app, office):
    proposal = _answered(office)
    _rate_in_parallel(signed_in_clients(app, "author", 8), proposal, "not_satisfied")
    assert db.session.get(Proposal, proposal.id).state is ProposalState.reopened
    assert count_rows(Rating, Rating.proposal_id == proposal.id) == 1
    assert count_rows(Event, Event.action == "answer_rated", Event.subject_id == proposal.id) == 1
    assert count_rows(Event, Event.action == "proposal_reopened", Event.subject_id == proposal.id) == 1
    assert count_rows(Notification, Notification.kind == "proposal_reopened") == 1  # the coordinator, once
    assert count_rows(OutboxMail, OutboxMail.recipient == "coord@example.org",
                      OutboxMail.kind == "proposal_reopened") == 1


def test_eight_parallel_satisfied_taps_rate_and_close_once(app, office):
    proposal = _answered(office)
    statuses = _rate_in_parallel(signed_in_clients(app, "author", 8), proposal, "satisfied")
    assert set(statuses) == {302}  # the other taps land on the idea, as a second tap always did
    assert db.session.get(Proposal, proposal.id).state is ProposalState.closed
    assert count_rows(Rating, Rating.proposal_id == proposal.id) == 1
    assert count_rows(Event, Event.action == "answer_rated") == 1
    assert count_rows(Event, Event.action == "proposal_closed") == 1
    assert count_rows(Notification, Notification.kind == "proposal_closed") == 2  # the author and the supporter, once


def test_a_supporters_parallel_taps_make_one_rating(app, office):
    proposal = _answered(office)
    _rate_in_parallel(signed_in_clients(app, "fan", 8), proposal, "partly")
    assert count_rows(Rating, Rating.proposal_id == proposal.id) == 1
    assert count_rows(Event, Event.action == "answer_rated") == 1


def test_two_authors_rating_at_the_same_moment_close_the_idea_once(app, office, make):
    """Each used to count the authors' ratings without the other's (not committed yet): neither closed it."""
    second = make.child(office.community, username="coauthor", nickname="小合作者")
    proposal = ideas.start_draft(office.facilitator, office.district, authors=[office.author, second])
    ideas.save_draft(proposal, office.facilitator, title="操场的灯", problem="太暗了。", idea="装灯。")
    ideas.choose_topic(proposal, office.facilitator, None)
    ideas.submit(proposal, office.facilitator)
    ideas.publish(proposal, office.coordinator)
    proposal.state = ProposalState.adopted  # the council's vote is taken as given, as in tests/tasks/conftest.py
    db.session.commit()
    proposal = _answered(office, proposal)
    taps = signed_in_clients(app, "author", 4) + signed_in_clients(app, "coauthor", 4)
    _rate_in_parallel(taps, proposal, "satisfied")
    assert db.session.get(Proposal, proposal.id).state is ProposalState.closed
    assert count_rows(Rating, Rating.proposal_id == proposal.id) == 2
    assert count_rows(Event, Event.action == "proposal_closed", Event.subject_id == proposal.id) == 1
    assert count_rows(Notification, Notification.kind == "proposal_closed") == 2  # each author once
