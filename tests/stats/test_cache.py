"""Costly figures are kept a short while for visitors; signed-in people always see them fresh."""

from __future__ import annotations

import threading

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


def test_a_stale_figure_is_served_at_once_and_counted_again_behind(app, caching, monkeypatch):
    from council import caching as kept_figures

    counted, go_on = [], threading.Event()

    def count():
        counted.append(1)
        if len(counted) > 1:
            go_on.wait(10)  # a long count in the background
        return len(counted)

    now = kept_figures._now()
    assert kept_figures.kept("figure", count, fresh=60) == 1
    assert kept_figures.kept("figure", count, fresh=60) == 1 and len(counted) == 1  # still fresh: kept
    monkeypatch.setattr(kept_figures, "_now", lambda: now + 61)
    assert kept_figures.kept("figure", count, fresh=60) == 1  # stale: the visitor does not wait
    assert kept_figures.kept("figure", count, fresh=60) == 1  # while it is counted, still the kept value
    go_on.set()
    kept_figures.wait_for_refreshes()
    assert len(counted) == 2  # one count in the background, not one per visit
    assert kept_figures.kept("figure", count, fresh=60) == 2


def test_the_statistics_page_is_refreshed_behind_the_visitor(client, demo, caching, monkeypatch):
    from council import caching as kept_figures

    client.get("/lang/en")
    before = public_count(client.get("/stats").get_data(as_text=True))
    _withdraw_a_public_idea()
    later = kept_figures._now() + app_timeout(client) + 1
    monkeypatch.setattr(kept_figures, "_now", lambda: later)
    assert public_count(client.get("/stats").get_data(as_text=True)) == before  # served at once, as kept
    kept_figures.wait_for_refreshes()
    page = client.get("/stats").get_data(as_text=True)
    assert int(public_count(page)) == int(before) - 1
    assert "<html lang=\"en\">" in page  # refreshed in the visitor's language


def app_timeout(client) -> int:
    return client.application.config["STATISTICS_CACHE_TIMEOUT"]


def test_addresses_with_parameters_a_page_ignores_share_its_kept_copy(client, demo, caching):
    """The copy is kept under what the page reads (year, council), not under the raw address: ``?x=…`` and a year
    the page cannot show cost no new statistics and no new cache entry."""
    client.get("/lang/en")
    client.get("/stats")
    pages = lambda: sorted(k for k in cache.cache._cache if k.startswith("page:") and ":refreshing" not in k)  # noqa: E731
    first = pages()
    assert len(first) == 1
    _withdraw_a_public_idea()
    for junk in ("/stats?x=1", "/stats?x=2&y=3", "/stats?year=abc", "/stats?year=1900", "/stats?council=999999"):
        html = client.get(junk).get_data(as_text=True)
        assert "Public ideas" in html
    assert pages() == first
    client.get("/plan/coverage?zzz=1")
    client.get("/plan/coverage")
    client.get("/plan/coverage?year=abc")
    assert len(pages()) == 2
