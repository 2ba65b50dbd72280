"""The synthetic district: the numbers asked for, counters equal to their rows, and the pages still work."""

from __future__ import annotations

from sqlalchemy import func, select, text

from council.accounts.models import Account, AccountKind
from council.calendar import clock
from council.db import UTCDateTime
from council.extensions import db
from council.proposals.models import Proposal, Support
from tests.conftest import postgres_only
from tests.stats.test_milestones import disagreements
from tests.test_planner import statements


def test_scale_one_adds_a_consistent_district(app, demo, runner, client):
    before = db.session.scalar(select(func.count(Proposal.id)))
    with statements(db.engine) as seen:
        result = runner.invoke(args=["seed", "--demo", "--scale", "1"])
    assert result.exit_code == 0, result.output
    assert "ANALYZE" in seen  # the planner knows the district it is given (tests/test_planner.py)
    assert "1000 ideas" in result.output and "10000 supports" in result.output
    assert db.session.scalar(select(func.count(Proposal.id))) == before + 1000
    counted = dict(db.session.execute(select(Support.proposal_id, func.count(Support.id))
                                      .group_by(Support.proposal_id)).all())
    stored = dict(db.session.execute(select(Proposal.id, Proposal.support_count)).all())
    assert all(stored[pid] == n for pid, n in counted.items())
    assert sum(stored.values()) == sum(counted.values())
    assert disagreements() == []  # adopted_at and routed_at dated by each idea's first event, as move() dates them
    assert client.get("/ideas/?sort=supported").status_code == 200
    assert client.get("/ideas/?q=路灯").status_code == 200
    # a new row still gets a fresh id after the ids given in bulk (PostgreSQL sequences moved on)
    from council.councils.models import Council
    from tests.factories import Factory

    council = db.session.scalar(select(Council).where(Council.code == "scale-00001"))
    largest = db.session.scalar(select(func.max(Account.id)))
    fresh = Factory().child(council, username="after-scale")
    db.session.commit()
    assert fresh.id > largest  # accounts were given ids in bulk; a new one still gets a free id


def test_a_second_run_adds_nothing(app, demo, runner):
    """...and takes as few statements on a big district as on the demo: none per child (a loop over every child
    made `seed --demo` on the scale-100 district run for hours)."""
    runner.invoke(args=["seed", "--demo", "--scale", "1"])
    before = db.session.scalar(select(func.count(Proposal.id)))
    with statements(db.engine) as seen:
        result = runner.invoke(args=["seed", "--demo", "--scale", "1"])
    assert result.exit_code == 0 and "nothing added" in result.output
    assert db.session.scalar(select(func.count(Proposal.id))) == before
    children = db.session.scalar(select(func.count(Account.id)).where(Account.kind == AccountKind.child))
    assert children > 500 and len(seen) < 300, len(seen)


def test_scale_needs_the_demo(runner, reference):
    result = runner.invoke(args=["seed", "--scale", "1"])
    assert result.exit_code != 0 and "--demo" in result.output


def test_nothing_in_the_synthetic_district_happens_in_the_future(app, demo, runner):
    """Every moment of every table — ideas published, supports given, tasks dispatched, events — is at or before
    the moment the district was built; only what is by nature ahead (a date something is due by, expires on or
    waits until) may be later."""
    result = runner.invoke(args=["seed", "--demo", "--scale", "1"])
    assert result.exit_code == 0, result.output
    built = clock.now()
    future = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            ahead = any(word in column.name for word in ("due", "expires", "until"))
            if isinstance(column.type, UTCDateTime) and not ahead:
                latest = db.session.scalar(select(func.max(column)))
                if latest is not None and latest > built:
                    future[f"{table.name}.{column.name}"] = latest
    assert future == {}


@postgres_only  # its kept plans; SQLite's statistics after the seed: tests/test_planner.py
def test_each_bulk_load_takes_its_tables_statistics_at_once(app, demo):
    """PostgreSQL keeps each foreign-key check's plan for the connection's life, and keeps one plan for good after
    five checks. A plan made while the demo had a few dozen ideas scans every idea for each row checked against
    them: the scale seed's 700,000 search terms, loaded after 20,000 ideas on the connection that had seeded the
    demo, ran for more than five minutes at scale 20 (16 s now). Taking a table's statistics right after its bulk
    load has every plan on it made again, on what was loaded (not only at the end, when the seed commits)."""
    from council.demo.scale import seed_scale

    added = seed_scale(1)  # not committed: the statistics must be there before the seed is done
    known = dict(db.session.execute(text(
        "SELECT relname, reltuples FROM pg_class WHERE oid IN ('proposals'::regclass, 'accounts'::regclass, "
        "'supports'::regclass, 'proposal_search_terms'::regclass)")).all())
    assert known["proposals"] >= added["ideas"] and known["accounts"] >= added["children"], known
    assert known["supports"] >= 0.9 * added["supports"], known  # a sample of a large table: close, not exact
    assert known["proposal_search_terms"] >= 0.9 * added["search_terms"], known
