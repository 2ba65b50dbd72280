"""Pages for class rosters, child sign-in codes, online consent invitations."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rosters", __name__)
