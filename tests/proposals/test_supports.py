
import pytest
from sqlalchemy import func, select

from council.errors import DomainError
from council.extensions import db
from council.proposals import operations
from council.proposals.models import Support
from tests.concurrency import parallel
from tests.conftest import PASSWORD


def test_child_supports_once_and_can_take_it_back(world):
    proposal = world.published()
    assert operations.support(proposal, world.other_child) is True
    assert operations.support(proposal, world.other_child) is False
    db.session.commit()
    assert proposal.support_count == 1
    assert operations.unsupport(proposal, world.other_child) is True
    assert operations.unsupport(proposal, world.other_child) is False
    db.session.commit()
    assert proposal.support_count == 0


def test_nobody_supports_their_own_idea(world):
    proposal = world.published()
    with pytest.raises(DomainError):
        operations.support(proposal, world.author)


def test_adults_and_children_without_consent_cannot_support(world):
    proposal = world.published()
    with pytest.raises(DomainError):
        operations.support(proposal, world.facilitator)
    with pytest.raises(DomainError):
        operations.support(proposal, world.waiting_child)


def test_only_public_ideas_waiting_for_a_decision_can_be_supported(world):
    proposal = world.submitted()
    with pytest.raises(DomainError):
        operations.support(proposal, world.other_child)


def test_parallel_supports_keep_an_exact_count(app, world, make):
    proposal = world.published()
    children = [make.child(world.community_a, username=f"fan{i}") for i in range(6)]
    db.session.commit()
    clients = []
    for child in children:
        client = app.test_client()
        client.post("/login", data={"username": child.username, "password": PASSWORD})
        clients.append(client)
    double = app.test_client()
    double.post("/login", data={"username": children[0].username, "password": PASSWORD})
    url = f"/ideas/{proposal.id}/support"
    calls = [lambda c=c: c.post(url, data={"action": "add"}).status_code
             for c in [*clients, double, double]]
    statuses = parallel(calls)
    assert all(s == 302 for s in statuses), statuses
    db.session.expire_all()
    rows = db.session.scalar(select(func.count()).select_from(Support).where(Support.proposal_id == proposal.id))
    assert rows == 6
    db.session.refresh(proposal)
    assert proposal.support_count == 6
