"""Demo content for class rosters, child sign-in codes, online consent invitations; only on the first run."""

from __future__ import annotations


def seed_demo_rosters(councils) -> None:
    pass
