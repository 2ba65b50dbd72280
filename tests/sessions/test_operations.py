
import pytest
from sqlalchemy import select

from council.accounts.models import MembershipRole
from council.calendar import clock
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import ProposalState
from council.sessions import operations
from council.sessions.models import Ballot, BallotReceipt, Choice, Outcome, SessionStatus

S = ProposalState


@pytest.mark.parametrize(("for_", "against", "abstain", "expected"), [
    (3, 2, 0, True), (2, 2, 0, False),  # a tie is not a majority
    (3, 1, 2, False),  # abstaining counts as a vote cast: 3 of 6 is not more than half
    (4, 1, 1, True), (0, 0, 5, False),  # everyone abstains
    (0, 0, 0, False), (1, 0, 0, True),
])
def test_majority_of_votes_cast(for_, against, abstain, expected):
    assert operations.adopted(for_, against, abstain) is expected


def test_two_thirds_rule_when_a_council_sets_it():
    assert operations.adopted(6, 3, 0, majority_percent=66) is True
    assert operations.adopted(2, 1, 0, majority_percent=67) is False


def test_putting_an_idea_on_the_agenda_moves_it(council):
    proposal = council.idea()
    session = operations.schedule(council.community, council.facilitator, title="会议", starts_at=clock.now())
    operations.add_to_agenda(session, proposal, council.facilitator)
    assert proposal.state is S.on_agenda
    kinds = {n.kind for n in db.session.scalars(select(Notification).where(Notification.proposal_id == proposal.id))}
    assert "proposal_on_agenda" in kinds


def test_an_idea_hidden_by_reports_waits_off_the_agenda(council):
    proposal = council.idea()
    proposal.hidden_at = clock.now()  # three children reported it; a facilitator has not checked yet
    session = operations.schedule(council.community, council.facilitator, title="会议", starts_at=clock.now())
    assert proposal not in operations.agenda_candidates(session)
    with pytest.raises(DomainError):
        operations.add_to_agenda(session, proposal, council.facilitator)
    assert proposal.state is S.published


def test_only_this_councils_facilitators_run_its_sessions(council):
    with pytest.raises(PermissionDenied):
        operations.schedule(council.community, council.outsider, title="x", starts_at=clock.now())
    operations.schedule(council.community, council.street_facilitator, title="x", starts_at=clock.now())


def test_quorum_missed_no_vote(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal, present=council.members[:2], open_votes=False)
    assert not session.quorum_met  # 2 of 5
    with pytest.raises(DomainError):
        operations.open_vote(item, council.facilitator)
    operations.close_session(session, council.facilitator)
    assert item.outcome is Outcome.deferred and proposal.state is S.published


def test_quorum_is_at_least_half(council):
    session, _ = council.session(council.idea(), present=council.members[:3], open_votes=False)
    assert session.quorum_met  # 3 of 5; exactly half would do too


def test_adopted_with_a_majority_and_supporters_are_told(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal)
    council.vote(item, ["for", "for", "for", "against", "abstain"])
    assert operations.close_vote(item, council.facilitator) is Outcome.adopted
    assert item.tally == {"for": 3, "against": 1, "abstain": 1}
    assert proposal.state is S.adopted
    told = {n.account_id for n in db.session.scalars(select(Notification).where(
        Notification.kind == "proposal_adopted"))}
    assert told == {council.author.id, council.supporter.id}


def test_not_adopted_needs_a_reason_for_children(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal)
    council.vote(item, ["for", "for", "against", "against", None])  # a tie
    with pytest.raises(DomainError):
        operations.close_vote(item, council.facilitator)
    assert proposal.state is S.on_agenda
    operations.close_vote(item, council.facilitator, reason="学校已经有计划了，明年会修。")
    assert proposal.state is S.not_adopted and proposal.state_reason == "学校已经有计划了，明年会修。"


def test_everyone_abstains_is_not_adopted(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal)
    council.vote(item, ["abstain"] * 5)
    assert operations.close_vote(item, council.facilitator, reason="大家都弃权了") is Outcome.not_adopted


def test_one_ballot_per_member(council):
    session, (item,) = council.session(council.idea())
    operations.cast(item, council.members[0], choice=Choice.for_)
    with pytest.raises(DomainError):
        operations.cast(item, council.members[0], choice=Choice.against)


def test_absent_former_and_non_members_cannot_vote(council, make):
    session, (item,) = council.session(council.idea(), present=council.members[:4])
    with pytest.raises(PermissionDenied):
        operations.cast(item, council.members[4], choice=Choice.for_)  # not here today
    with pytest.raises(PermissionDenied):
        operations.cast(item, council.former, choice=Choice.for_)  # term ended
    with pytest.raises(PermissionDenied):
        operations.cast(item, council.author, choice=Choice.for_)  # not a member


def test_no_vote_after_close_and_no_change_after(council):
    session, (item,) = council.session(council.idea())
    council.vote(item, ["for", "for", "for"])
    operations.close_vote(item, council.facilitator)
    with pytest.raises(DomainError):
        operations.cast(item, council.members[4], choice=Choice.against)
    operations.close_session(session, council.facilitator)
    assert session.status is SessionStatus.closed
    with pytest.raises(DomainError):
        operations.cast(item, council.members[3], choice=Choice.for_)


def test_secret_ballot_counts_without_names(council):
    session, (item,) = council.session(council.idea(), secret=True)
    council.vote(item, ["for", "against", "for", "for", None])
    ballots = db.session.scalars(select(Ballot).where(Ballot.item_id == item.id)).all()
    assert len(ballots) == 4 and all(b.voter_id is None for b in ballots)
    receipts = db.session.scalars(select(BallotReceipt).where(BallotReceipt.item_id == item.id)).all()
    assert {r.voter_id for r in receipts} == {m.id for m in council.members[:4]}
    operations.close_vote(item, council.facilitator)
    assert item.tally == {"for": 3, "against": 1, "abstain": 0}
    with pytest.raises(DomainError):
        operations.cast(item, council.members[0], choice=Choice.for_)


def test_show_of_hands_is_marked_and_not_for_secret_ballots(council):
    session, (item,) = council.session(council.idea())
    operations.cast(item, council.members[0], choice=Choice.for_, recorded_by=council.facilitator)
    receipt = db.session.scalars(select(BallotReceipt)).one()
    assert receipt.method.value == "show_of_hands" and receipt.recorded_by_id == council.facilitator.id
    secret_session, (secret_item,) = council.session(council.idea("另一个"), secret=True)
    with pytest.raises(DomainError):
        operations.cast(secret_item, council.members[1], choice=Choice.for_, recorded_by=council.facilitator)


def test_deferred_goes_back_to_public(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal, open_votes=False)
    operations.defer(item, council.facilitator, "时间不够了")
    assert proposal.state is S.published and item.outcome is Outcome.deferred


def test_closing_defers_what_was_not_voted(council):
    first, second = council.idea("一"), council.idea("二")
    session, (a, b) = council.session(first, second, open_votes=False)
    operations.open_vote(a, council.facilitator)
    with pytest.raises(DomainError):
        operations.close_session(session, council.facilitator)  # a vote is still open
    council.vote(a, ["for"] * 5)
    operations.close_vote(a, council.facilitator)
    operations.close_session(session, council.facilitator, minutes="讨论了两条建议。")
    assert first.state is S.adopted and second.state is S.published and b.outcome is Outcome.deferred


def test_forwarding_up_the_tiers_keeps_history_and_supporters(council):
    proposal = council.idea()
    session, (item,) = council.session(proposal)
    council.vote(item, ["for"] * 5)
    operations.close_vote(item, council.facilitator)
    operations.forward(proposal, council.facilitator)
    assert proposal.state is S.published and proposal.current_council == council.street
    assert proposal.support_count == 1 and proposal.council == council.community
    with pytest.raises(DomainError):
        operations.forward(proposal, council.street_facilitator)  # not adopted at the street yet


def test_district_ideas_are_not_forwarded(council, make):
    proposal = council.idea()
    proposal.current_council = council.district
    proposal.state = S.adopted
    assert not operations.can_forward(proposal)


def test_election_with_a_winner_gives_the_role(council):
    session = operations.schedule(council.community, council.facilitator, title="选举", starts_at=clock.now())
    item = operations.add_election(session, council.facilitator, MembershipRole.chair, council.members[:2])
    operations.open_session(session, council.facilitator)
    operations.mark_attendance(session, council.facilitator, {m.id for m in council.members})
    operations.open_vote(item, council.facilitator)
    a, b = item.candidates
    for member, candidate in zip(council.members, [a, a, b, a, b], strict=True):
        operations.cast(item, member, candidate=candidate)
    assert operations.close_vote(item, council.facilitator) is Outcome.elected
    assert item.elected == council.members[0]
    assert [m.role for m in council.members[0].current_memberships()] == [MembershipRole.member,
                                                                            MembershipRole.chair]


def test_tied_election_elects_nobody_and_runs_off(council):
    session = operations.schedule(council.community, council.facilitator, title="选举", starts_at=clock.now())
    item = operations.add_election(session, council.facilitator, MembershipRole.vice_chair, council.members[:3])
    operations.open_session(session, council.facilitator)
    operations.mark_attendance(session, council.facilitator, {m.id for m in council.members[:4]})
    operations.open_vote(item, council.facilitator)
    a, b, c = item.candidates
    for member, candidate in zip(council.members, [a, b, a, b], strict=False):
        operations.cast(item, member, candidate=candidate)
    assert operations.close_vote(item, council.facilitator) is Outcome.tie
    runoff = operations.runoff(item, council.facilitator)
    assert [c.account for c in runoff.candidates] == council.members[:2]


def test_feedback_once_by_members_who_were_there(council):
    session, (item,) = council.session(council.idea(), present=council.members[:4], open_votes=False)
    operations.close_session(session, council.facilitator)
    from council.sessions.models import Face

    assert operations.give_feedback(session, council.members[0], Face.happy) is True
    assert operations.give_feedback(session, council.members[0], Face.sad) is False
    with pytest.raises(PermissionDenied):
        operations.give_feedback(session, council.members[4], Face.happy)
    assert operations.feedback_summary(session)[Face.happy] == 1


def test_council_rules_are_sensible_and_logged(council):
    operations.set_rules(council.community, council.facilitator, quorum_percent=60, majority_percent=66)
    assert (council.community.quorum_percent, council.community.majority_percent) == (60, 66)
    with pytest.raises(DomainError):
        operations.set_rules(council.community, council.facilitator, quorum_percent=60, majority_percent=30)
    with pytest.raises(PermissionDenied):
        operations.set_rules(council.community, council.outsider, quorum_percent=60, majority_percent=60)
    session, _ = council.session(council.idea(), present=council.members[:3], open_votes=False)
    assert session.quorum_met  # 3 of 5 is 60 %


def test_show_of_hands_records_present_members_who_have_not_voted(council):
    session, (item,) = council.session(council.idea(), present=council.members[:4])
    operations.cast(item, council.members[0], choice=Choice.against)  # voted on their own phone
    hands = {m.id: Choice.for_ for m in council.members}  # the absent fifth member is ignored too
    assert operations.record_show_of_hands(item, council.facilitator, hands) == 3
    operations.close_vote(item, council.facilitator)
    assert item.tally == {"for": 3, "against": 1, "abstain": 0}
