"""Demo content for help requests and content flags; only on the first run."""

from __future__ import annotations


def seed_demo_reports(councils) -> None:
    pass
