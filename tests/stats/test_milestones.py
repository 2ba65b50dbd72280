"""An idea's first adoption and first sending to units are dated on the idea (``adopted_at``, ``routed_at``), as the
statistics count them: the dates must be those of the idea's first such event, on every idea, however it got there."""

from __future__ import annotations

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.proposals.models import MILESTONES, Proposal


def disagreements() -> list[tuple]:
    """(idea, column, on the idea, first event) wherever the idea's date is not its first event's."""
    found = []
    for action, column in MILESTONES.items():
        first = dict(db.session.execute(select(Event.subject_id, func.min(Event.created_at)).where(
            Event.subject_type == "proposals", Event.action == action).group_by(Event.subject_id)).all())
        for pid, dated in db.session.execute(select(Proposal.id, getattr(Proposal, column))):
            if dated != first.get(pid):
                found.append((pid, column, dated, first.get(pid)))
    return found


def test_every_demo_idea_is_dated_by_its_first_adoption_and_sending(demo):
    adopted = db.session.scalar(select(func.count(Proposal.id)).where(Proposal.adopted_at.is_not(None)))
    routed = db.session.scalar(select(func.count(Proposal.id)).where(Proposal.routed_at.is_not(None)))
    assert adopted > routed > 0  # the demo's ideas went through both, by the operations children and adults use
    assert disagreements() == []


def test_a_second_sending_keeps_the_first_date(demo, make):
    """An idea the children reopened is sent to units again: it was first routed when it was first routed."""
    from council.proposals.models import ProposalState
    from council.proposals.operations import move

    idea = db.session.scalar(select(Proposal).where(Proposal.state == ProposalState.answered).limit(1))
    first = idea.routed_at
    assert first is not None
    coordinator = make.adult(username="coord-milestones")
    move(idea, ProposalState.reopened, coordinator)
    move(idea, ProposalState.routed, coordinator)
    db.session.commit()
    assert idea.routed_at == first
    assert db.session.scalar(select(func.count(Event.id)).where(
        Event.subject_id == idea.id, Event.action == "proposal_routed")) >= 2
    assert disagreements() == []


def test_adopted_reads_the_same_on_an_idea_and_in_sql(demo):
    """``Proposal.was_adopted``: what the statistics count (SQL) and what an export writes per idea (Python)."""
    in_sql = set(db.session.scalars(select(Proposal.id).where(Proposal.was_adopted)))
    on_ideas = {p.id for p in db.session.scalars(select(Proposal)) if p.was_adopted}
    assert in_sql == on_ideas and in_sql
