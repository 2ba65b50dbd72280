"""Plan indicators (规划指标): the action plan's measurable targets, and the values units report on them."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS, STATE_ENUMS
from council.calendar import clock
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.i18n import english_requested
from council.notifications.operations import PARAM_WORDS, TEXTS
from council.plan.models import Plan, PlanTask
from council.units.models import Unit
from council.uploads.models import StoredFile

__all__ = ["Indicator", "IndicatorReport"]

ACTION_LABELS.update({
    "indicator_report_submitted": _l("Indicator value reported"),
    "indicator_report_confirmed": _l("Indicator value confirmed"),
    "indicator_report_returned": _l("Indicator value sent back"),
})
TEXTS.update({
    "indicator_report_returned": _l("Your value for “%(indicator)s” (%(period)s) was sent back: %(reason)s "
                                    "Please correct it and send it again."),
})


class Comparison(LabeledEnum):
    at_least = "at_least", _l("at least")
    at_most = "at_most", _l("at most")
    change_per_year = "change_per_year", _l("change per year")
    milestone = "milestone", _l("milestone (done or not done)")


class Frequency(LabeledEnum):
    year = "year", _l("Every year")
    half = "half", _l("Every half-year")


class IndicatorStatus(LabeledEnum):
    """Derived from the target, the deadline and the latest confirmed value; never stored."""

    overdue = "overdue", _l("Overdue")
    behind = "behind", _l("Behind")
    no_data = "no_data", _l("No value yet")
    on_track = "on_track", _l("On track")
    achieved = "achieved", _l("Achieved")


class ReportState(LabeledEnum):
    submitted = "submitted", _l("Waiting for confirmation")
    confirmed = "confirmed", _l("Confirmed")
    returned = "returned", _l("Sent back")


R = ReportState
REPORT_TRANSITIONS: dict[ReportState, set[ReportState]] = {
    R.submitted: {R.confirmed, R.returned},
    R.confirmed: set(),
    R.returned: set(),  # corrected by a new report that names it (``replaces``); the returned one stays
}
STATE_ENUMS["indicator_reports"] = ReportState


class Indicator(db.Model):
    """One target of the plan, tied to the plan version and task it comes from (``council/data/indicators.json``)."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(200))  # plain words for children
    label_en: Mapped[str | None] = mapped_column(String(300))
    comparison: Mapped[Comparison] = mapped_column(enum_column(Comparison))
    target: Mapped[float | None] = mapped_column(Float)  # None for milestones
    unit: Mapped[str] = mapped_column(String(40), default="")
    unit_en: Mapped[str] = mapped_column(String(80), default="")
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None]
    deadline: Mapped[int]  # a year
    deadline_in_text: Mapped[bool] = mapped_column(default=True)  # False: the plan's horizon
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency))
    source: Mapped[str] = mapped_column(Text)  # the words of the plan this comes from
    active: Mapped[bool] = mapped_column(default=True)  # False once a newer version of the file drops it

    plan: Mapped[Plan] = relationship()
    task: Mapped[PlanTask] = relationship()
    reports: Mapped[list[IndicatorReport]] = relationship(back_populates="indicator", order_by="IndicatorReport.id")

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and english_requested() else self.name

    @property
    def display_label(self) -> str:
        return self.label_en if self.label_en and english_requested() else self.label

    @property
    def display_unit(self) -> str:
        return self.unit_en if self.unit_en and english_requested() else self.unit

    @property
    def is_milestone(self) -> bool:
        return self.comparison is Comparison.milestone

    @property
    def start_year(self) -> int:
        """Reporting starts with the plan's year of issue."""
        return self.plan.issued_on.year

    def responsible_units(self) -> list[Unit]:
        """The task's lead units; a group is opened into its members, who report for it."""
        units = {u.id: u for u in self.task.lead_units}
        units |= {u.id: u for u in self.task.suggested_units()}
        return list(units.values())


class IndicatorReport(db.Model):
    """One value a unit reported for one period. Never changed after the fact except by the coordinator's
    decision; a correction is a new row naming the one sent back."""

    __tablename__ = "indicator_reports"
    __table_args__ = (
        Index("ix_indicator_reports_indicator_period", "indicator_id", "year", "half"),
        # One report waiting per indicator and period: a double submit cannot create a second one.
        Index("uq_indicator_reports_waiting", "indicator_id", "year", "half", unique=True,
              sqlite_where=text("state = 'submitted'"), postgresql_where=text("state = 'submitted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    half: Mapped[int] = mapped_column(default=0)  # 0 the whole year, 1 January–June, 2 July–December
    value: Mapped[float | None] = mapped_column(Float)
    done: Mapped[bool | None]  # milestones
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    evidence_description: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState), default=ReportState.submitted)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_reports.id"))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(Text)

    indicator: Mapped[Indicator] = relationship(back_populates="reports")
    unit: Mapped[Unit] = relationship()
    evidence: Mapped[StoredFile | None] = relationship()
    reported_by: Mapped[Account] = relationship(foreign_keys=[reported_by_id])
    decided_by: Mapped[Account | None] = relationship(foreign_keys=[decided_by_id])
    replaces: Mapped[IndicatorReport | None] = relationship(remote_side=[id])

    @property
    def period(self) -> Period:
        return Period(self.year, self.half)


class Period(tuple):
    """A reporting period: a whole year (half 0) or one half of it."""

    def __new__(cls, year: int, half: int = 0):
        return super().__new__(cls, (year, half))

    year = property(lambda self: self[0])
    half = property(lambda self: self[1])

    @classmethod
    def parse(cls, code: str) -> Period | None:
        """"2025" | "2025-H1" | "2025-H2"."""
        year, _, half = (code or "").partition("-H")
        if not year.isdigit() or half not in ("", "1", "2"):
            return None
        return cls(int(year), int(half or 0))

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        from flask_babel import gettext as _

        if self.half == 1:
            return _("first half of %(year)s", year=self.year)
        if self.half == 2:
            return _("second half of %(year)s", year=self.year)
        return _("year %(year)s", year=self.year)


def _period_words(code: str) -> str:
    period = Period.parse(code)
    return period.label if period is not None else code


PARAM_WORDS["period"] = _period_words  # a message keeps the period's code ("2025-H1"); the reader reads its name
