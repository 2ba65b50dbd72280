"""Pages for plan indicators and unit reports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("indicators", __name__)
