"""Costly figures are kept a short while for visitors; signed-in people always see them fresh."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from council.extensions import cache, db
from council.proposals.models import PUBLIC_STATES, Proposal, ProposalState
from tests.accounts.test_views import DEMO_PASSWORD


@pytest.fixture
def caching(app):
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60})
    yield
    cache.clear()
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


def _withdraw_a_public_idea() -> None:
    proposal = db.session.scalar(select(Proposal).where(Proposal.state == ProposalState.published))
    proposal.state = ProposalState.withdrawn  # straight in the database: the figure "public ideas" drops by one
    db.session.commit()


def public_count(html: str) -> str:
    marker = html.index("<dt>Public ideas</dt><dd>") + len("<dt>Public ideas</dt><dd>")
    return html[marker:html.index("</dd>", marker)]


def test_visitors_share_the_statistics_page_for_a_minute(client, auth, demo, caching):
    client.get("/lang/en")
    before = public_count(client.get("/stats").get_data(as_text=True))
    _withdraw_a_public_idea()
    assert public_count(client.get("/stats").get_data(as_text=True)) == before  # the visitors' copy
    auth.login("coordinator", DEMO_PASSWORD)
    fresh = public_count(client.get("/stats").get_data(as_text=True))
    assert int(fresh) == int(before) - 1
    assert db.session.scalar(select(Proposal.id).where(Proposal.state.in_(list(PUBLIC_STATES)))) is not None


def test_without_a_cache_every_visit_counts_afresh(client, demo):
    client.get("/lang/en")
    before = public_count(client.get("/stats").get_data(as_text=True))
    _withdraw_a_public_idea()
    assert int(public_count(client.get("/stats").get_data(as_text=True))) == int(before) - 1
