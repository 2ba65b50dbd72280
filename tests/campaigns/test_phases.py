"""A campaign's phases: moved by hand by its organisers or by date, in one order only, each move logged."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from council.audit.models import Event
from council.campaigns import operations
from council.campaigns.models import Phase
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from tests.campaigns.conftest import TODAY


def phase_events(campaign):
    return [(e.from_state, e.to_state, e.data.get("by_date")) for e in db.session.scalars(
        select(Event).where(Event.subject_type == "campaigns", Event.subject_id == campaign.id,
                            Event.action == "campaign_phase").order_by(Event.id))]


def test_organiser_moves_each_phase_by_hand_and_every_move_is_logged(world):
    campaign = world.campaign(opened=False)
    assert campaign.phase is Phase.draft
    operations.move_on(campaign, world.coordinator, Phase.open)
    world.entry(campaign, world.kids[0])
    for to in (Phase.reviewing, Phase.voting, Phase.judging):
        operations.move_on(campaign, world.coordinator, to)
    operations.score(campaign.entries[0], world.juror, [8, 6])
    operations.move_on(campaign, world.coordinator, Phase.results)
    operations.move_on(campaign, world.coordinator, Phase.archived)
    assert [e[:2] for e in phase_events(campaign)] == [
        ("draft", "open"), ("open", "reviewing"), ("reviewing", "voting"), ("voting", "judging"),
        ("judging", "results"), ("results", "archived")]
    assert all(by_date is False for *_, by_date in phase_events(campaign))


@pytest.mark.parametrize("to", [Phase.voting, Phase.results, Phase.draft, Phase.archived])
def test_skipping_or_going_back_is_refused(world, to):
    campaign = world.campaign()
    with pytest.raises(DomainError) as refused:
        operations.move_on(campaign, world.coordinator, to)
    assert "cannot become" in refused.value.message
    assert campaign.phase is Phase.open


def test_archived_is_the_end(world):
    campaign = world.campaign()
    world.to_phase(campaign, Phase.judging)
    operations.move_on(campaign, world.coordinator, Phase.results)
    operations.move_on(campaign, world.coordinator, Phase.archived)
    with pytest.raises(DomainError):
        operations.move_on(campaign, world.coordinator, Phase.open)


def test_only_organisers_move_phases(world):
    district = world.campaign()
    council = world.campaign(world.community_a)
    for outsider in (world.facilitator, world.teacher, world.kids[0]):
        with pytest.raises(PermissionDenied):
            operations.move_on(district, outsider, Phase.reviewing)
    with pytest.raises(PermissionDenied):
        operations.move_on(council, world.facilitator_b, Phase.reviewing)
    operations.move_on(council, world.facilitator, Phase.reviewing)  # street_a's facilitator reaches community_a
    assert council.phase is Phase.reviewing


def test_vote_waits_until_every_entry_is_checked(world):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0], approve=False)
    operations.move_on(campaign, world.coordinator, Phase.reviewing)
    with pytest.raises(DomainError) as refused:
        operations.move_on(campaign, world.coordinator, Phase.voting)
    assert "still waiting to be checked" in refused.value.message


def test_jury_needs_jurors_and_results_need_scores(world):
    campaign = world.campaign(jurors=[])
    world.entry(campaign, world.kids[0])
    world.to_phase(campaign, Phase.voting)
    with pytest.raises(DomainError):
        operations.move_on(campaign, world.coordinator, Phase.judging)
    other = world.campaign(title="Second")
    world.entry(other, world.kids[1])
    world.to_phase(other, Phase.judging)
    with pytest.raises(DomainError) as refused:
        operations.move_on(other, world.coordinator, Phase.results)
    assert "at least one jury score" in refused.value.message


def test_phases_move_by_date_and_stop_where_an_organiser_is_needed(world):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    world.entry(campaign, world.kids[1], approve=False)
    assert operations.advance_by_date(campaign, TODAY) == []
    moved = operations.advance_by_date(campaign, campaign.judging_from + timedelta(days=1))
    assert moved == [Phase.reviewing]  # the unchecked entry holds the vote back
    operations.approve(campaign.entries[1], world.coordinator)
    assert operations.advance_by_date(campaign, campaign.judging_from) == [Phase.voting, Phase.judging]
    assert [e[2] for e in phase_events(campaign)][-2:] == [True, True]
    assert operations.advance_by_date(campaign, campaign.results_from) == []  # no jury score yet
    for entry in campaign.entries:
        operations.score(entry, world.juror, [5, 5], today=campaign.judging_from)
    assert operations.advance_by_date(campaign, campaign.results_from) == [Phase.results]


def test_a_draft_never_opens_by_itself(world):
    campaign = world.campaign(opened=False)
    assert operations.advance_by_date(campaign, campaign.results_from + timedelta(days=9)) == []
    assert campaign.phase is Phase.draft


def test_the_advance_command_moves_every_due_campaign(world, runner):
    due = world.campaign(reviewing_from=TODAY, voting_from=TODAY + timedelta(days=1),
                         judging_from=TODAY + timedelta(days=2), results_from=TODAY + timedelta(days=3))
    later = world.campaign(title="Later")
    db.session.commit()
    result = runner.invoke(args=["campaigns", "advance"])
    assert result.exit_code == 0 and "moved 1 campaign phases" in result.output
    db.session.expire_all()
    assert (due.phase, later.phase) == (Phase.reviewing, Phase.open)


def test_entries_close_on_their_date_even_before_the_command_runs(world):
    campaign = world.campaign()
    assert operations.entries_open(campaign, campaign.reviewing_from - timedelta(days=1))
    assert not operations.entries_open(campaign, campaign.reviewing_from)
    with pytest.raises(DomainError):
        world.entry(campaign, world.kids[0], today=campaign.reviewing_from)


def test_settings_are_checked(world):
    with pytest.raises(DomainError) as refused:
        world.campaign(voting_from=TODAY + timedelta(days=5))  # before entries close
    assert "follow each other" in refused.value.message
    with pytest.raises(DomainError):
        operations.parse_age_groups("6-9, 9-11")
    with pytest.raises(DomainError):
        operations.parse_rubric("Creativity | heavy")
    assert operations.parse_age_groups("12-14，6–8, 9-11") == [[6, 8], [9, 11], [12, 14]]
    assert operations.parse_rubric("创意 | 40\nMessage") == [{"name": "创意", "weight": 40},
                                                            {"name": "Message", "weight": 1}]
    with pytest.raises(DomainError):
        operations.find_jurors("kid_a0")  # a child cannot be a juror


def test_who_may_open_where(world):
    assert operations.councils_to_organise(world.coordinator)[0] is None
    places = operations.councils_to_organise(world.facilitator)
    assert world.street_a in places and world.community_a in places and world.community_b not in places
    assert operations.councils_to_organise(world.teacher) == []
    with pytest.raises(PermissionDenied):
        world.campaign(organiser=world.facilitator)  # a district campaign is the coordinating office's
    with pytest.raises(PermissionDenied):
        world.campaign(world.community_a, organiser=world.facilitator_b)


def test_rules_and_formula_are_fixed_once_the_jury_starts(world):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    world.to_phase(campaign, Phase.judging)
    from tests.campaigns.conftest import settings

    with pytest.raises(DomainError):
        operations.update_campaign(campaign, world.coordinator, **settings(jury_weight=10))


def test_the_daily_remind_run_moves_campaigns_too(world, runner):
    due = world.campaign(reviewing_from=TODAY, voting_from=TODAY + timedelta(days=1),
                         judging_from=TODAY + timedelta(days=2), results_from=TODAY + timedelta(days=3))
    db.session.commit()
    assert runner.invoke(args=["remind"]).exit_code == 0
    db.session.expire_all()
    assert due.phase is Phase.reviewing
