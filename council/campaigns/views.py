"""Pages for campaigns, entries, votes, jury scores."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("campaigns", __name__)
