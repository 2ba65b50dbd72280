
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from council.db import insert_once
from council.errors import DomainError
from council.extensions import db
from council.proposals import operations
from council.proposals.models import Proposal, Support
from tests.concurrency import parallel
from tests.conftest import PASSWORD
from tests.test_planner import statements


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


def test_the_count_kept_on_the_idea_is_the_databases_even_when_the_idea_read_was_old(world):
    proposal = world.published()
    db.session.commit()
    db.session.execute(update(Proposal.__table__).where(Proposal.id == proposal.id).values(support_count=41))
    assert proposal.support_count == 0  # what this request read before another request counted 41
    assert operations.support(proposal, world.other_child) is True
    assert proposal.support_count == 42
    assert operations.unsupport(proposal, world.other_child) is True
    assert proposal.support_count == 41
    db.session.commit()
    db.session.expire_all()
    assert proposal.support_count == 41


def test_a_row_inserted_once_says_whether_it_was_this_call_and_refuses_what_is_not_a_duplicate(world):
    proposal = world.published()
    db.session.commit()
    assert insert_once(Support, proposal_id=proposal.id, account_id=world.other_child.id) is True
    assert insert_once(Support, proposal_id=proposal.id, account_id=world.other_child.id) is False
    row = db.session.scalars(select(Support).where(Support.proposal_id == proposal.id)).one()
    assert row.created_at is not None  # the column's default, as for an ORM insert
    if db.session.get_bind().dialect.name == "postgresql":  # SQLite checks foreign keys only when asked to
        with pytest.raises(IntegrityError), db.session.begin_nested():  # a missing idea: an error, not a duplicate
            insert_once(Support, proposal_id=10**9, account_id=world.other_child.id)


@pytest.mark.parametrize(("action", "most"), [("add", 7), ("remove", 4)])
def test_a_support_and_its_taking_back_run_few_statements(app, world, action, most):
    """A class supports together (issue 18's writes): the support is inserted once by the database and the count
    moved with RETURNING, and the answer does not read the idea again after the commit."""
    proposal = world.published()
    if action == "remove":
        operations.support(proposal, world.other_child)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": world.other_child.username, "password": PASSWORD})
    url = f"/ideas/{proposal.id}"
    with statements(db.engine) as seen:
        response = client.post(f"{url}/support", data={"action": action})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert len(seen) <= most, "\n".join(seen)
    db.session.expire_all()
    assert proposal.support_count == (1 if action == "add" else 0)
