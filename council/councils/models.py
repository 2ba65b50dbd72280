from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.calendar import clock
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.i18n import BilingualName


class Tier(LabeledEnum):
    district = "district", _l("District")
    town = "town", _l("Town / street")
    community = "community", _l("Community / school")


class CouncilKind(LabeledEnum):
    district = "district", _l("District council")
    street = "street", _l("Street council")
    town = "town", _l("Town council")
    community = "community", _l("Community council")
    school = "school", _l("School council")
    village = "village", _l("Village council")
    kindergarten = "kindergarten", _l("Kindergarten council")


# Which tier each kind sits on, and which tier its parent must be on.
KIND_TIER = {
    CouncilKind.district: Tier.district,
    CouncilKind.street: Tier.town,
    CouncilKind.town: Tier.town,
    CouncilKind.community: Tier.community,
    CouncilKind.school: Tier.community,
    CouncilKind.village: Tier.community,
    CouncilKind.kindergarten: Tier.community,
}
PARENT_TIER = {Tier.district: None, Tier.town: Tier.district, Tier.community: Tier.town}


class Council(BilingualName, db.Model):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier))
    kind: Mapped[CouncilKind] = mapped_column(enum_column(CouncilKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    # "/zhoucun/dajie/heping/": a prefix match finds a whole subtree in one indexed query.
    path: Mapped[str] = mapped_column(String(400), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Where a community, village or school council is (the office's setup files, council/setup/): not shown publicly.
    area: Mapped[str | None] = mapped_column(String(120))
    # The council's own voting rules (DESIGN §5): quorum and the share of votes cast an idea needs.
    quorum_percent: Mapped[int] = mapped_column(default=50, server_default="50")
    majority_percent: Mapped[int] = mapped_column(default=50, server_default="50")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    parent: Mapped[Council | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Council]] = relationship(back_populates="parent", order_by="Council.id")

    def contains(self, other: Council) -> bool:
        """True when ``other`` is this council or lies anywhere below it."""
        return other.path.startswith(self.path)

    def ancestors(self) -> list[Council]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def __repr__(self) -> str:
        return f"<Council {self.code}>"
