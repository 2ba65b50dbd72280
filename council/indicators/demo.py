"""Demo content for plan indicators and unit reports; only on the first run."""

from __future__ import annotations


def seed_demo_indicators(councils) -> None:
    pass
