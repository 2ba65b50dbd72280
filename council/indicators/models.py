"""plan indicators and unit reports."""

from __future__ import annotations

__all__: list[str] = []  # every model of this module, for council/models.py
