"""Demo content for guardian data requests, event log protection; only on the first run."""

from __future__ import annotations


def seed_demo_privacy(councils) -> None:
    pass
