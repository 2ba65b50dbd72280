"""Demo and benchmark data, never part of a live installation; the app itself never imports this package.

Only two ways in: the seed command (``flask --app council seed --demo [--scale N]``, council/cli.py) and bench mode
(``COUNCIL_BENCH=1``, set only by ``make bench``: ``create_app`` then registers :mod:`council.demo.bench`).

- ``district``: the demo councils, accounts, ideas, sessions and tasks (and ``DEMO_PASSWORD``);
- ``campaigns``, ``indicators``, ``privacy``, ``reports``, ``rosters``: each feature's demo content;
- ``scale``: a large synthetic district for benchmarks and soak tests (``--scale N``);
- ``bench``: the reference routes and the query count of bench mode."""

from __future__ import annotations


def seed_demo() -> None:
    """The demo district and every feature's demo content; safe to run again (each part adds itself once)."""
    from council.demo import district
    from council.demo.campaigns import seed_demo_campaigns
    from council.demo.indicators import seed_demo_indicators
    from council.demo.privacy import seed_demo_privacy
    from council.demo.reports import seed_demo_reports
    from council.demo.rosters import seed_demo_rosters
    from council.extensions import db

    councils = district.seed_demo_councils()
    district.seed_demo_accounts(councils)
    db.session.flush()
    district.seed_demo_ideas(councils)
    seats = district.seed_demo_members(councils)
    db.session.flush()
    district.seed_demo_sessions(councils, seats)
    db.session.flush()
    district.children_read_their_messages()
    district.seed_demo_tasks(councils)
    db.session.flush()
    for seed_feature in (seed_demo_rosters, seed_demo_privacy, seed_demo_reports, seed_demo_campaigns,
                         seed_demo_indicators):
        seed_feature(councils)
        db.session.flush()
