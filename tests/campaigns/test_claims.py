"""One tap, one effect, even when eight arrive together (council/claims.py): a campaign's phase moves once, whether
by its organisers' taps or by the daily command at the same moment; an entry is checked once and its guardian's
answer recorded once."""

from __future__ import annotations

from datetime import timedelta

from council.accounts.models import SystemRole
from council.audit.models import Event
from council.campaigns import operations
from council.campaigns.models import Campaign, Entry, EntryState, Phase
from council.extensions import db
from council.notifications.models import Notification, OutboxMail
from tests.campaigns.conftest import TODAY
from tests.concurrency import count_rows, parallel, signed_in_clients


def _posted(taps, url: str, data: dict) -> list[int]:
    statuses = parallel([lambda c=c: c.post(url, data=data).status_code for c in taps])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    return statuses


def _phase_events(campaign, to: Phase) -> int:
    return count_rows(Event, Event.action == "campaign_phase", Event.subject_type == "campaigns",
                  Event.subject_id == campaign.id, Event.to_state == to.value)


def test_eight_parallel_taps_by_two_organisers_publish_the_results_once(app, world, make):
    make.adult("coord2", system_role=SystemRole.coordinator, email="coord2@example.org")
    campaign = world.campaign()
    entries = [world.entry(campaign, kid, title=f"My school {i}") for i, kid in enumerate(world.kids[:3])]
    world.to_phase(campaign, Phase.judging)
    for entry in entries:
        operations.score(entry, world.juror, [8, 6])
    db.session.commit()
    taps = signed_in_clients(app, "coord", 4) + signed_in_clients(app, "coord2", 4)
    _posted(taps, f"/campaigns/{campaign.id}/phase", {"to": "results"})
    assert db.session.get(Campaign, campaign.id).phase is Phase.results
    assert _phase_events(campaign, Phase.results) == 1
    assert count_rows(Notification, Notification.kind == "campaign_results") == 3  # each child once
    assert count_rows(OutboxMail, OutboxMail.kind == "campaign_results") == 0  # children are never mailed


def test_the_daily_command_and_the_organisers_taps_at_the_same_moment_move_the_phase_once(app, world):
    campaign = world.campaign(reviewing_from=TODAY, voting_from=TODAY + timedelta(days=10),
                              judging_from=TODAY + timedelta(days=20), results_from=TODAY + timedelta(days=30))
    db.session.commit()
    assert campaign.phase is Phase.open

    def daily_command():
        with app.app_context():
            moved = operations.advance_all(TODAY)
            db.session.commit()
            return moved

    taps = signed_in_clients(app, "coord", 4)
    url = f"/campaigns/{campaign.id}/phase"
    results = parallel([daily_command] * 4 + [lambda c=c: c.post(url, data={"to": "reviewing"}).status_code
                                              for c in taps])
    assert all(status < 500 for status in results[4:]), results
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).phase is Phase.reviewing
    assert _phase_events(campaign, Phase.reviewing) == 1
    assert sum(results[:4]) <= 1  # at most one run of the command moved it


def test_eight_parallel_approvals_check_the_entry_once_and_tell_the_child_once(app, world):
    campaign = world.campaign(world.community_a)  # organised by fac_a
    entry = world.entry(campaign, world.kids[0], approve=False)
    db.session.commit()
    _posted(signed_in_clients(app, "fac_a", 8), f"/campaigns/entries/{entry.id}/review", {"action": "approve"})
    assert db.session.get(Entry, entry.id).state is EntryState.approved
    assert count_rows(Event, Event.action == "entry_approved", Event.subject_id == entry.id) == 1
    assert count_rows(Notification, Notification.kind == "entry_approved") == 1


def test_eight_parallel_taps_record_the_guardians_answer_once(app, world):
    campaign = world.campaign()
    entry = world.entry(campaign, world.kids[0], consent=False, approve=False)
    db.session.commit()
    _posted(signed_in_clients(app, "teach_a", 8), f"/campaigns/entries/{entry.id}/consent",
            {"method": "paper", "display": "y", "use": "y"})
    entry = db.session.get(Entry, entry.id)
    assert entry.has_consent
    assert count_rows(Event, Event.action == "entry_consent", Event.subject_id == entry.id) == 1
