from datetime import UTC, date, datetime

from sqlalchemy import select

from council.accounts.models import SystemRole
from council.accounts.operations import add_unit_staff
from council.extensions import db
from council.indicators.models import Indicator
from council.units.models import Unit
from tests.conftest import kept_world


def at(day: str, hour: int = 2) -> datetime:
    """A moment on a Zhoucun date (02:00 UTC is 10:00 in Zhoucun, the same date)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


class Office:
    """The seeded plan with its indicators, the coordinating office, and staff of three real units."""

    def __init__(self, make):
        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator, email="coord@example.org")
        units = {u.name: u for u in db.session.scalars(select(Unit))}
        self.staff = {}
        for username, name in (("housing", "区住房城乡建设局"), ("edu", "区教育和体育局"), ("health", "区卫生健康局")):
            person = make.adult(username, email=f"{username}@example.org")
            add_unit_staff(person, units[name], starts_on=date(2020, 1, 1))
            self.staff[username] = person
        db.session.commit()

    def indicator(self, code: str) -> Indicator:
        return db.session.scalar(select(Indicator).where(Indicator.code == code))


@kept_world
def office(reference, make):
    return Office(make)
