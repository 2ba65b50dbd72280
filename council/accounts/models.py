from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, or_, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.units.models import UnitStaff


class AccountKind(LabeledEnum):
    child = "child", _l("Child")
    adult = "adult", _l("Adult")


class SystemRole(LabeledEnum):
    coordinator = "coordinator", _l("Coordinator")
    admin = "admin", _l("Administrator")


class MembershipRole(LabeledEnum):
    member = "member", _l("Council member")
    chair = "chair", _l("Chair")
    vice_chair = "vice_chair", _l("Vice-chair")
    rotating_chair = "rotating_chair", _l("Rotating chair")
    facilitator = "facilitator", _l("Facilitator")
    teacher = "teacher", _l("Teacher")


CHILD_ROLES = (
    MembershipRole.member,
    MembershipRole.chair,
    MembershipRole.vice_chair,
    MembershipRole.rotating_chair,
)
ADULT_ROLES = (MembershipRole.facilitator, MembershipRole.teacher)


class ConsentDecision(LabeledEnum):
    granted = "granted", _l("Consent given")
    refused = "refused", _l("Consent refused")
    withdrawn = "withdrawn", _l("Consent withdrawn")


class ConsentMethod(LabeledEnum):
    paper = "paper", _l("Signed paper form")
    in_person = "in_person", _l("In person, witnessed by a teacher")
    online = "online", _l("Online by the guardian")


class Account(UserMixin, db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    # For a child this is the public nickname; a child's real name lives only in ChildProfile.
    display_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[AccountKind] = mapped_column(enum_column(AccountKind))
    system_role: Mapped[SystemRole | None] = mapped_column(enum_column(SystemRole))
    email: Mapped[str | None] = mapped_column(String(254))
    # An adult's phone as the office's setup file gives it (digits only, council/setup/): private, never public.
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    child_profile: Mapped[ChildProfile | None] = relationship(
        back_populates="account", foreign_keys="ChildProfile.account_id"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="account", order_by="Membership.id")
    unit_roles: Mapped[list[UnitStaff]] = relationship(back_populates="account", order_by="UnitStaff.id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive accounts
        return self.active

    # The signed-in session this object was loaded for (council/accounts/sessions.py): set on the object, not a
    # column.
    session_key = None

    def get_id(self) -> str:
        """What the browser's session cookie holds: the account and the server-side session it is signed in with,
        so a copied cookie is worth nothing once that session has ended."""
        return f"{self.id}:{self.session_key or ''}"

    @property
    def is_child(self) -> bool:
        return self.kind is AccountKind.child

    @property
    def is_admin(self) -> bool:
        return self.system_role is SystemRole.admin

    @property
    def is_coordinator(self) -> bool:
        return self.system_role in (SystemRole.coordinator, SystemRole.admin)

    def current_memberships(self, role: MembershipRole | None = None, on: date | None = None) -> list[Membership]:
        on = on or clock.today()
        return [m for m in self.memberships if m.is_current(on) and (role is None or m.role is role)]

    def councils_as(self, *roles: MembershipRole) -> list[Council]:
        return [m.council for m in self.current_memberships() if m.role in roles]

    def current_units(self):
        today = clock.today()
        return [r.unit for r in self.unit_roles if r.is_current(today)]

    # Permissions walk up the council tree: a role in a council reaches every council below it.
    def _reaches(self, council: Council, roles: tuple[MembershipRole, ...]) -> bool:
        return any(held.contains(council) for held in self.councils_as(*roles))

    def can_facilitate(self, council: Council) -> bool:
        return self.is_coordinator or self._reaches(council, (MembershipRole.facilitator,))

    def can_teach_in(self, council: Council) -> bool:
        return self._reaches(council, (MembershipRole.teacher,)) or self.can_facilitate(council)

    def can_see_child_private_data(self, child: Account) -> bool:
        profile = child.child_profile
        if profile is None or profile.home_council is None:
            return self.is_admin
        return self.is_admin or self.can_teach_in(profile.home_council)

    def menu_roles(self) -> tuple[bool, bool, bool, bool, bool, bool]:
        """What the menu offers this reader: a child's pages, teaching, facilitating, a unit's desk, coordinating,
        administering. Readers with the same roles get the same links (templates/_site.html: role_links)."""
        facilitates = bool(self.councils_as(MembershipRole.facilitator))
        teaches = facilitates or bool(self.councils_as(MembershipRole.teacher))
        return (self.is_child, teaches, facilitates, bool(self.current_units()), self.is_coordinator, self.is_admin)

    def serves_unit(self, unit) -> bool:
        return any(u.id == unit.id for u in self.current_units())

    def __repr__(self) -> str:
        return f"<Account {self.username}>"


class ChildProfile(db.Model):
    """A child's private details. Never shown in public pages or the open API."""

    __tablename__ = "child_profiles"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    real_name: Mapped[str] = mapped_column(String(64))
    birth_year: Mapped[int]
    school: Mapped[str | None] = mapped_column(String(120))
    class_name: Mapped[str | None] = mapped_column(String(64))
    home_council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)

    account: Mapped[Account] = relationship(back_populates="child_profile", foreign_keys=[account_id])
    home_council: Mapped[Council | None] = relationship()
    consents: Mapped[list[GuardianConsent]] = relationship(
        order_by="GuardianConsent.id", primaryjoin="ChildProfile.account_id == foreign(GuardianConsent.child_id)"
    )

    @property
    def latest_consent(self) -> GuardianConsent | None:
        return self.consents[-1] if self.consents else None


class Membership(db.Model):
    """An account's role in one council for a term (account × council × role × term)."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(enum_column(MembershipRole))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    account: Mapped[Account] = relationship(back_populates="memberships")
    council: Mapped[Council] = relationship()

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class GuardianConsent(db.Model):
    """Each decision a guardian makes is a new row; the latest one counts."""

    __tablename__ = "guardian_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    guardian_name: Mapped[str] = mapped_column(String(64))
    relation: Mapped[str] = mapped_column(String(32))
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    decision: Mapped[ConsentDecision] = mapped_column(enum_column(ConsentDecision))
    policy_version: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class AccountSession(db.Model):
    """One signed-in session of an account on one device. The cookie names it; every request checks that it has not
    ended. Signing out ends it; a password change, a new picture code, switching the account off or erasing it, and
    "sign out on all devices" end all of the account's sessions."""

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_why: Mapped[str | None] = mapped_column(String(32))


def current_members(council: Council, on: date | None = None) -> list[Membership]:
    on = on or clock.today()
    return list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.council_id == council.id,
                Membership.role.in_(CHILD_ROLES),
                Membership.starts_on <= on,
                or_(Membership.ends_on.is_(None), Membership.ends_on >= on),
            )
            .options(joinedload(Membership.account))
            .order_by(Membership.id)
        )
    )
