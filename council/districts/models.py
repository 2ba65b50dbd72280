"""The district the platform serves, as data: one row, set at setup (``flask --app council setup --district``) or by
the seed for Zhoucun (council/data/districts/zhoucun.yaml)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from council.audit.models import ACTION_LABELS
from council.calendar.clock import DEFAULT_ZONE
from council.extensions import db

ACTION_LABELS.update({"district_set_up": _l("District set up")})

# The profile's fields, in the order a district file lists them; each ``*_en`` is the English of the one before.
FIELDS = (
    "code", "name", "name_en", "place", "place_en", "platform_title", "platform_title_en", "office_name",
    "office_name_en", "committee_name", "committee_name_en", "time_zone", "contact", "mail_from_name",
)


class DistrictProfile(db.Model):
    """Which district this installation serves: its names, its office and committee, its clock zone. One row."""

    __tablename__ = "district_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(60))  # 周村区
    name_en: Mapped[str | None] = mapped_column(String(120))  # Zhoucun District
    place: Mapped[str] = mapped_column(String(60))  # 周村: the short name used in sentences
    place_en: Mapped[str | None] = mapped_column(String(120))  # Zhoucun
    platform_title: Mapped[str] = mapped_column(String(120))  # 周村区儿童议事会
    platform_title_en: Mapped[str | None] = mapped_column(String(200))
    office_name: Mapped[str] = mapped_column(String(120))  # 周村区妇儿工委办公室
    office_name_en: Mapped[str | None] = mapped_column(String(200))
    committee_name: Mapped[str] = mapped_column(String(120))  # 周村区妇女儿童工作委员会
    committee_name_en: Mapped[str | None] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_ZONE)
    contact: Mapped[str | None] = mapped_column(String(200))  # the data-protection contact; the office without one
    mail_from_name: Mapped[str | None] = mapped_column(String(120))  # the sender's name; the platform's title without

    def __repr__(self) -> str:
        return f"<DistrictProfile {self.code}>"
