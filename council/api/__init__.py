"""The public, read-only JSON API at /api/v1. One module per resource."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from council.api import (  # noqa: E402,F401
    campaigns,
    councils,
    indicators,
    openapi,
    plan,
    proposals,
    sessions,
    stats,
    units,
)
