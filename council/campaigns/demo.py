"""Demo content for campaigns, entries, votes, jury scores; only on the first run."""

from __future__ import annotations


def seed_demo_campaigns(councils) -> None:
    pass
