"""One tap, one effect, even when eight arrive together: every state change claims its transition in the database
(council/claims.py) before its events, messages and mails."""

from __future__ import annotations

from council.audit.models import Event
from council.extensions import db
from council.notifications.models import Notification, OutboxMail
from council.proposals.models import Proposal, ProposalState
from tests.concurrency import count_rows, parallel, signed_in_clients


def test_eight_parallel_submits_of_one_draft_make_one_event_one_set_of_messages_and_mails(app, world):
    proposal = world.draft()
    url = f"/ideas/{proposal.id}/submit"
    taps = signed_in_clients(app, "author", 8)
    statuses = parallel([lambda c=c: c.post(url).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).state is ProposalState.submitted
    assert count_rows(Event, Event.action == "proposal_submitted", Event.subject_id == proposal.id) == 1
    assert count_rows(Notification, Notification.kind == "proposal_submitted") == 1  # the author, once
    assert count_rows(Notification, Notification.kind == "proposal_to_screen") == 1  # the facilitator, once
    assert count_rows(OutboxMail, OutboxMail.recipient == "fa@example.org") == 1


def test_parallel_publishes_by_two_facilitators_publish_once(app, world, make):
    proposal = world.submitted()
    make.adult("fac_a2", role="facilitator", council=world.community_a)
    db.session.commit()
    url = f"/moderation/{proposal.id}/publish"
    taps = signed_in_clients(app, "fac_a", 4) + signed_in_clients(app, "fac_a2", 4)
    statuses = parallel([lambda c=c: c.post(url).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).state is ProposalState.published
    assert count_rows(Event, Event.action == "proposal_published", Event.subject_id == proposal.id) == 1
    assert count_rows(Notification, Notification.kind == "proposal_published") == 1


def test_the_second_tap_reads_a_clear_refusal(app, world):
    proposal = world.draft()
    [first, second] = signed_in_clients(app, "author", 2)
    assert first.post(f"/ideas/{proposal.id}/submit").status_code == 302
    refused = second.post(f"/ideas/{proposal.id}/submit")
    assert refused.status_code in (302, 409)
    assert count_rows(Event, Event.action == "proposal_submitted") == 1
