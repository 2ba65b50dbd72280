"""The district's clock: the one place that reads the machine's time.

Everything else asks here what instant it is (``now``, aware UTC, for timestamps) and what day it is in the
district (``today``, a local date, for deadlines, terms and phases). On a server that keeps UTC, the district's
day starts at 16:00 the day before; a page that read the machine's own date would disagree with the deadlines
for eight hours a day. Tests freeze the clock with ``freeze`` instead of patching ``datetime``."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import has_app_context

DEFAULT_ZONE = "Asia/Shanghai"

_frozen: datetime | None = None


def zone() -> ZoneInfo:
    """The district's clock zone: its profile's (council/districts, kept per app process, so this stays cheap);
    ``BABEL_DEFAULT_TIMEZONE`` before anyone set the district up; Asia/Shanghai without an app."""
    if not has_app_context():
        return ZoneInfo(DEFAULT_ZONE)
    from council.districts import current

    return current().zone


def now() -> datetime:
    """This instant, aware, in UTC: what timestamps store."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def local_now() -> datetime:
    """This instant on the district's wall clock."""
    return now().astimezone(zone())


def today() -> date:
    """The district's date now."""
    return local_now().date()


def local_day(moment: datetime) -> date:
    """The district's date at ``moment`` (an aware datetime)."""
    return moment.astimezone(zone()).date()


@contextmanager
def freeze(moment: datetime):
    """Stop the clock at ``moment`` (aware) for the code inside, requests included."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("freeze needs an aware datetime")
    before, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield moment
    finally:
        _frozen = before
