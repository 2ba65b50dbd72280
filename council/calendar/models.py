from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.calendar import clock
from council.db import LabeledEnum, UTCDateTime
from council.extensions import db


class DayKind(LabeledEnum):
    """What the office made a date: the states of its entries in the event log."""

    workday = "workday", _l("Working day")
    day_off = "day_off", _l("Day off")


class CalendarDay(db.Model):
    """A date the coordinating office has fixed by hand, such as next year's holidays and make-up working days
    (调休) once the State Council publishes them. A row here wins over the calendar package."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(120), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    added_by = relationship("Account")

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day} {'workday' if self.is_workday else 'day off'}>"


class CalendarYear(db.Model):
    """A year past the calendar package's last one for which the office has said "this year's holidays and make-up
    working days are all entered". Until then, deadlines counted across that year are only estimates."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    completed_by = relationship("Account")

    def __repr__(self) -> str:
        return f"<CalendarYear {self.year} complete>"
