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


def _updates_of(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.upper().startswith(f"UPDATE {table.upper()} ")]


def test_a_state_change_writes_its_row_once_with_everything_that_changes_with_it(app, world):
    """The claim moves the state, the reason and the change's date in its one UPDATE, and the session then holds
    them as written: flushing the request writes the idea's row no second time (issue 18's writes)."""
    from council.proposals import operations
    from tests.test_planner import statements

    proposal = world.draft()
    with statements(db.engine) as seen:
        operations.submit(proposal, world.author)
        db.session.flush()
    assert len(_updates_of(seen, "proposals")) == 1, "\n".join(seen)
    assert proposal.state is ProposalState.submitted and proposal.submitted_at is not None
    with statements(db.engine) as seen:
        operations.publish(proposal, world.facilitator)
        db.session.flush()
    assert len(_updates_of(seen, "proposals")) == 1, "\n".join(seen)
    db.session.commit()
    stored = db.session.execute(db.select(Proposal.state, Proposal.submitted_at, Proposal.published_at,
                                          Proposal.updated_at).where(Proposal.id == proposal.id)).one()
    assert stored.state is ProposalState.published and stored.published_at >= stored.submitted_at
    assert stored.updated_at >= stored.published_at  # the claim dated the row as it changed it


def test_sending_an_idea_runs_few_statements_and_reads_nothing_after_the_commit(app, world):
    """The wizard's last step (issue 18's writes): the idea, its event, the child's message, and the facilitator's
    message and mail. The facilitators nearest the idea are found in one statement, whatever the council's depth."""
    from tests.conftest import PASSWORD
    from tests.test_planner import statements

    url = f"/ideas/{world.draft().id}"
    client = app.test_client()
    client.post("/login", data={"username": "author", "password": PASSWORD})
    with statements(db.engine) as seen:
        response = client.post(f"{url}/submit")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert len(seen) <= 16, "\n".join(seen)
    assert count_rows(Notification, Notification.kind == "proposal_to_screen") == 1
    assert count_rows(OutboxMail, OutboxMail.recipient == "fa@example.org") == 1


def test_an_idea_without_facilitators_in_its_council_goes_to_the_nearest_council_above_that_has_some(app, world,
                                                                                                        make):
    from council.accounts.operations import nearest_facilitators
    from council.councils.models import CouncilKind

    fresh = make.council(CouncilKind.community, world.street_a, name="丙社区儿童议事会")  # no facilitator yet
    unstaffed = make.council(CouncilKind.community, world.street_b, name="丁社区儿童议事会")
    db.session.commit()
    assert nearest_facilitators(world.community_a) == [world.facilitator]  # its own, not the street's too
    assert nearest_facilitators(fresh) == [world.street_facilitator]
    assert nearest_facilitators(unstaffed) == []  # nobody above either: the caller's own fallback decides
    assert nearest_facilitators(world.district) == []
