"""Jinja helpers shared by every template."""

from __future__ import annotations

import re
import sys
import threading
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import cachetools
from babel.dates import format_skeleton
from flask import render_template
from flask_babel import format_date, get_locale, to_user_timezone
from markupsafe import Markup

from council.calendar import clock
from council.extensions import db
from council.i18n import locale_name

ICONS = Path(__file__).parent / "static" / "icons"
MB = 2**20


@cache
def _svg(name: str) -> str:
    source = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    source = re.sub(r'class="[^"]*"', 'class="icon" aria-hidden="true" focusable="false"', source)
    return re.sub(r"\s+", " ", source).strip()


def render_recorded(template: str, **context) -> str:
    """A page whose reading is itself written in the record (a child's private details seen, DESIGN §7.5): drawn
    from the records as the view read them, then committed with the record of the reading. Committing first would
    expire every record read, and drawing would read each again, a statement per child. Nothing is sent unless the
    commit succeeds."""
    page = render_template(template, **context)
    db.session.commit()
    return page


def icon(name: str) -> Markup:
    """An inline SVG icon that takes the colour of its text; decorative, so screen readers skip it."""
    return Markup(_svg(name))


def kept_macro(app, template: str, name: str, max_bytes: int):
    """A macro of ``template`` as a function whose HTML is kept per worker, for each language and arguments. The
    arguments must be plain, hashable values holding everything the macro shows (e.g. a frozen dataclass of a
    row), so that a kept answer cannot be stale: rows that recur — a desk's tasks, a list's cards — are then
    rendered once, not on every page view. The kept HTML of one macro takes at most ``max_bytes`` of the worker's
    memory (the strings' own size, ``sys.getsizeof``); past it, the least recently shown piece goes first."""
    return kept_html(lambda locale, *args: str(getattr(app.jinja_env.get_template(template).module, name)(*args)),
                     max_bytes)


def kept_html(render, max_bytes: int):
    """``render(locale, *args) -> str`` kept in an LRU of at most ``max_bytes`` (thread-safe: background refreshes
    render pages too), called in the reader's language and returned as Markup."""
    html = cachetools.cached(cachetools.LRUCache(maxsize=max_bytes, getsizeof=sys.getsizeof),
                             lock=threading.Lock(), info=True)(render)
    return lambda *args: Markup(html(locale_name(), *args))


# The date part of a moment for each format name: ``short`` leaves out this year, ``long`` and ``full`` add the day
# of the week. The time is hours and minutes as the reader says them ("上午10:00", "10:00 AM"): never a zone.
DAY_SKELETONS = {"short": "MMMd", "medium": "yMMMd", "long": "yMMMEd", "full": "yMMMEd"}


def when(value: datetime | None, fmt: str = "medium") -> str:
    """A moment as its reader says it, on the district's clock: “12月2日 上午10:00”, “Dec 2, 10:00 AM”; with the year
    when it is not this year's. Babel's own long and full formats would add “+0800” or “中国标准时间”."""
    if not value:
        return ""
    locale, moment = get_locale(), to_user_timezone(value)
    skeleton = DAY_SKELETONS.get(fmt, "yMMMd")
    if skeleton == "MMMd" and moment.year != clock.local_now().year:
        skeleton = "yMMMd"
    day, time = format_skeleton(skeleton, moment, locale=locale), format_skeleton("hm", moment, locale=locale)
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def machine_time(value: date | datetime) -> str:
    """The ``datetime`` attribute of a ``<time>``: a valid HTML date, or the moment to the second with its offset
    on the district's clock (``2026-12-02T10:00:00+08:00``), never with microseconds."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # naive ones are UTC here
        return moment.astimezone(clock.zone()).isoformat(timespec="seconds")
    return value.isoformat()


def time_tag(value: date | datetime | None, fmt: str = "medium", *, day_only: bool = False) -> Markup:
    """The one way pages show a date or a moment: ``<time datetime="…">`` around it as its reader says it
    (``day_only``: a moment shown by its date alone)."""
    if not value:
        return Markup("")
    shown = when(value, fmt) if isinstance(value, datetime) and not day_only else format_date(value, fmt)
    return Markup('<time datetime="{}">{}</time>').format(machine_time(value), shown)


def init_app(app) -> None:
    app.jinja_env.globals.update(icon=icon, main_links=kept_macro(app, "_site.html", "main_links", MB),
                                 role_links=kept_macro(app, "_site.html", "role_links", MB),
                                 site_footer=kept_macro(app, "_site.html", "site_footer", MB))
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = when
    app.jinja_env.filters["time_tag"] = time_tag
