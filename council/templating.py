"""Jinja helpers shared by every template."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from flask_babel import format_date, format_datetime, get_locale
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


def kept_macro(app, template: str, name: str, maxsize: int):
    """A macro of ``template`` as a function whose HTML is kept per worker, for each language and arguments. The
    arguments must be plain, hashable values holding everything the macro shows (e.g. a frozen dataclass of a
    row), so that a kept answer cannot be stale: rows that recur — a desk's tasks, a list's cards — are then
    rendered once, not on every page view."""
    @lru_cache(maxsize=maxsize)
    def html(locale: str, *args) -> str:
        return str(getattr(app.jinja_env.get_template(template).module, name)(*args))

    return lambda *args: Markup(html(str(get_locale()), *args))


def init_app(app) -> None:
    app.jinja_env.globals.update(icon=icon, main_links=kept_macro(app, "_site.html", "main_links", 8),
                                 role_links=kept_macro(app, "_site.html", "role_links", 2 * 2**6),
                                 site_footer=kept_macro(app, "_site.html", "site_footer", 8))
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
