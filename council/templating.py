"""Jinja helpers shared by every template."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import format_date, format_datetime
from markupsafe import Markup

ICONS = Path(__file__).parent / "static" / "icons"


@cache
def _svg(name: str) -> str:
    source = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    source = re.sub(r'class="[^"]*"', 'class="icon" aria-hidden="true" focusable="false"', source)
    return re.sub(r"\s+", " ", source).strip()


def icon(name: str) -> Markup:
    """An inline SVG icon that takes the colour of its text; decorative, so screen readers skip it."""
    return Markup(_svg(name))


def init_app(app) -> None:
    app.jinja_env.globals.update(icon=icon)
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
