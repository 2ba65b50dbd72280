"""guardian data requests, event log protection."""

from __future__ import annotations

__all__: list[str] = []  # every model of this module, for council/models.py
