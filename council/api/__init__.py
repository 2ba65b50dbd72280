"""The public, read-only JSON API at /api/v1. One module per resource."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from council.api import campaigns, councils, plan, proposals, sessions, stats, units  # noqa: E402,F401
from council.api import indicators  # noqa: E402,F401
