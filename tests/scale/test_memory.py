"""Memory is part of speed: the HTML a worker keeps (council/templating.py kept_html) is bounded in bytes, and the
bounds add up to what the README states."""

from __future__ import annotations

import sys

from council.proposals import views
from council.templating import MB, kept_html
from tests.conftest import _kept_html

# The README ("Memory") states this figure; a new kept cache must fit in it or change both.
STATED_TOTAL = 64 * MB


def _kept(app) -> list:
    """Every byte-bounded cache of kept HTML the app renders through: those kept_macro made (found as the suite's
    kept app finds them to empty them) and the idea list's filter options."""
    return [views.options, *_kept_html(app)]


def test_a_kept_piece_of_html_never_outgrows_its_bytes(app):
    budget = 64 * 1024
    rendered = []
    html = kept_html(lambda locale, n: rendered.append(n) or f"<li>第{n}条建议</li>" * 40, budget)
    with app.test_request_context():
        pieces = [html(n) for n in range(500)]
        assert pieces[7] == "<li>第7条建议</li>" * 40
        kept = html.__closure__  # the lambda over the cached function
        cached = next(c.cell_contents for c in kept if hasattr(c.cell_contents, "cache"))
        assert 0 < cached.cache.currsize <= budget
        assert len(cached.cache) < 500  # the oldest went first
        again = len(rendered)
        html(499)  # the newest is still kept: not rendered again
        assert len(rendered) == again
        html(0)  # the oldest was dropped: rendered again
        assert len(rendered) == again + 1
        assert cached.cache.currsize == sum(sys.getsizeof(piece) for piece in cached.cache.values())


def test_the_kept_html_of_a_worker_adds_up_to_the_stated_bound(app):
    caches = _kept(app)
    assert len(caches) >= 8  # cards, desk rows, desk filters, plan links, site links (3), filter forms, options
    total = sum(cache.cache.maxsize for cache in caches)
    assert total == STATED_TOTAL, f"{total / MB:.0f} MB: change the README's Memory section and STATED_TOTAL"
