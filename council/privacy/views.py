"""Pages for guardian data requests, event log protection."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__)
