"""Which district the platform serves: ``current()`` is its profile (council/districts/models.py), read once per app
process and kept until ``forget()`` — the setup command and the seed call it when they change the row, and the test
fixtures before each test. Pages get it as ``district`` (a context processor); the clock reads its zone from it.

Without a row (a database nobody has set up yet) ``current()`` is a neutral profile in the reader's language, so a
page still renders and the clock still runs on ``BABEL_DEFAULT_TIMEZONE``."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from council.calendar.clock import DEFAULT_ZONE
from council.i18n import english_requested, in_language

MAIL_ADDRESS = "noreply@localhost"


@dataclass(frozen=True)
class Profile:
    """The district's profile as plain values (kept across requests, so never an ORM row). The properties without
    ``_en`` pick the reader's language, as ``BilingualName.display_name`` does."""

    code: str
    name: str
    name_en: str | None
    place: str
    place_en: str | None
    platform_title: str
    platform_title_en: str | None
    office_name: str
    office_name_en: str | None
    committee_name: str
    committee_name_en: str | None
    time_zone: str
    contact: str | None
    mail_from_name: str | None
    zone: ZoneInfo = field(compare=False)
    is_set: bool = True

    @property
    def display_name(self) -> str:
        """周村区 / Zhoucun District."""
        return str(in_language(self.name, self.name_en, english_requested()))

    @property
    def title(self) -> str:
        """The platform's name in the header, the report and the posters: 周村区儿童议事会."""
        return str(in_language(self.platform_title, self.platform_title_en, english_requested()))

    @property
    def place_name(self) -> str:
        """The short name sentences use: “for a better 周村”."""
        return str(in_language(self.place, self.place_en, english_requested()))

    @property
    def office(self) -> str:
        return str(in_language(self.office_name, self.office_name_en, english_requested()))

    @property
    def committee(self) -> str:
        return str(in_language(self.committee_name, self.committee_name_en, english_requested()))

    @property
    def data_protection_contact(self) -> str:
        """``DATA_PROTECTION_CONTACT`` where the operator set one, else the profile's contact, else the office."""
        configured = current_app.config.get("DATA_PROTECTION_CONTACT") if has_app_context() else None
        return configured or self.contact or str(self.office_name)

    @property
    def mail_from(self) -> str:
        """``MAIL_FROM`` where the operator set one, else the platform's name at ``noreply@localhost``."""
        configured = current_app.config.get("MAIL_FROM") if has_app_context() else None
        return configured or f"{self.mail_from_name or self.platform_title} <{MAIL_ADDRESS}>"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def neutral(time_zone: str | None = None) -> Profile:
    """The profile of a platform nobody has set up yet: no district's name, in the reader's language."""
    return Profile(
        code="", name=_l("the district"), name_en=None, place=_l("district"), place_en=None,
        platform_title=_l("Children's Council"), platform_title_en=None,
        office_name=_l("District Office of the Working Committee on Women and Children"), office_name_en=None,
        committee_name=_l("District Working Committee on Women and Children"), committee_name_en=None,
        time_zone=time_zone or DEFAULT_ZONE, contact=None, mail_from_name=None, zone=_zone(time_zone), is_set=False,
    )


def from_row(row) -> Profile:
    from council.districts.models import FIELDS

    return Profile(**{name: getattr(row, name) for name in FIELDS}, zone=_zone(row.time_zone))


class _Kept:
    """The profile one app keeps (``app.extensions["district"]``)."""

    profile: Profile | None = None


def _load() -> Profile:
    from sqlalchemy import select

    from council.districts.models import DistrictProfile
    from council.extensions import db

    with db.session.no_autoflush:  # read in the middle of an operation without flushing its half-made rows
        row = db.session.scalars(select(DistrictProfile).order_by(DistrictProfile.id).limit(1)).first()
    if row is None:
        return neutral(current_app.config.get("BABEL_DEFAULT_TIMEZONE"))
    return from_row(row)


def current() -> Profile:
    """The district this installation serves (one query per app process, until ``forget()``)."""
    if not has_app_context():
        return neutral()
    kept = current_app.extensions.get("district")
    if kept is not None and kept.profile is not None:
        return kept.profile
    try:
        profile = _load()
    except SQLAlchemyError:  # an error page after a failed statement, or tables not made yet: asked again next time
        return neutral(current_app.config.get("BABEL_DEFAULT_TIMEZONE"))
    if kept is not None:
        kept.profile = profile
    return profile


def forget(app=None) -> None:
    """Read the profile again on next use: after the setup command or the seed changed it, or a test's database
    was replaced."""
    kept = (app or current_app).extensions.get("district")
    if kept is not None:
        kept.profile = None


def init_app(app) -> None:
    app.extensions["district"] = _Kept()

    @app.context_processor
    def district_context():
        return {"district": current()}
