"""One tap, one effect, even when eight arrive together: every state change claims its transition in the database
(council/claims.py) before its events, messages and mails."""

from __future__ import annotations

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.notifications.models import Notification, OutboxMail
from council.proposals.models import Proposal, ProposalState
from tests.concurrency import parallel
from tests.conftest import PASSWORD


def _signed_in(app, username: str, count: int):
    clients = []
    for _i in range(count):
        client = app.test_client()
        client.set_cookie("lang", "en")
        client.post("/login", data={"username": username, "password": PASSWORD})
        clients.append(client)
    return clients


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_eight_parallel_submits_of_one_draft_make_one_event_one_set_of_messages_and_mails(app, world):
    proposal = world.draft()
    url = f"/ideas/{proposal.id}/submit"
    taps = _signed_in(app, "author", 8)
    statuses = parallel([lambda c=c: c.post(url).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).state is ProposalState.submitted
    assert _count(Event, Event.action == "proposal_submitted", Event.subject_id == proposal.id) == 1
    assert _count(Notification, Notification.kind == "proposal_submitted") == 1  # the author, once
    assert _count(Notification, Notification.kind == "proposal_to_screen") == 1  # the facilitator, once
    assert _count(OutboxMail, OutboxMail.recipient == "fa@example.org") == 1


def test_parallel_publishes_by_two_facilitators_publish_once(app, world, make):
    proposal = world.submitted()
    make.adult("fac_a2", role="facilitator", council=world.community_a)
    db.session.commit()
    url = f"/moderation/{proposal.id}/publish"
    taps = _signed_in(app, "fac_a", 4) + _signed_in(app, "fac_a2", 4)
    statuses = parallel([lambda c=c: c.post(url).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).state is ProposalState.published
    assert _count(Event, Event.action == "proposal_published", Event.subject_id == proposal.id) == 1
    assert _count(Notification, Notification.kind == "proposal_published") == 1


def test_the_second_tap_reads_a_clear_refusal(app, world):
    proposal = world.draft()
    [first, second] = _signed_in(app, "author", 2)
    assert first.post(f"/ideas/{proposal.id}/submit").status_code == 302
    refused = second.post(f"/ideas/{proposal.id}/submit")
    assert refused.status_code in (302, 409)
    assert _count(Event, Event.action == "proposal_submitted") == 1
