"""The office's rules for the list of responsible units: adding one, switching one off and on again.

A unit switched off is no longer offered for routing and cannot be given a task (``tasks.operations.route``), but
nothing of it goes: its page, its tasks (open ones stay with its staff to finish), its answers and its figures."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from council.accounts.models import Account
from council.audit.operations import record
from council.councils.models import Council, Tier
from council.errors import DomainError, require
from council.extensions import db
from council.units.models import Unit, UnitKind

NAME_MAX, NAME_EN_MAX = 120, 200  # the columns' lengths


def can_manage(actor: Account) -> bool:
    return actor.is_authenticated and actor.is_coordinator


def _require_office(actor: Account) -> None:
    require(can_manage(actor), _("Only the coordinating office can do that."))


def groups() -> list[Unit]:
    """The groups of authorities a new unit can belong to (区财政局等各行业主管部门 …)."""
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.group).order_by(Unit.id)))


def add_unit(actor: Account, *, name: str, name_en: str, kind: UnitKind, group: Unit | None = None,
             council: Council | None = None) -> Unit:
    """A new responsible unit, named in both languages. A town's or street's office names its council: the
    council's own adopted ideas are then suggested to it first, and it takes the council's tier."""
    _require_office(actor)
    name, name_en = (name or "").strip(), (name_en or "").strip()
    require(bool(name), _("Write the unit's name in Chinese."), DomainError, field="name")
    require(len(name) <= NAME_MAX, _("This part is too long. Please keep it under %(n)s characters.", n=NAME_MAX),
            DomainError, field="name")
    require(bool(name_en), _("Write the unit's name in English."), DomainError, field="name_en")
    require(len(name_en) <= NAME_EN_MAX, _("This part is too long. Please keep it under %(n)s characters.",
                                           n=NAME_EN_MAX), DomainError, field="name_en")
    require(db.session.scalar(select(func.count(Unit.id)).where(Unit.name == name)) == 0,
            _("There is a unit with this name already."), DomainError, field="name")
    require(group is None or group.kind is UnitKind.group, _("Choose one of the groups listed."), DomainError,
            field="group")
    unit = Unit(name=name, name_en=name_en, kind=kind, council=council,
                tier=council.tier if council is not None else Tier.district, is_active=True)
    db.session.add(unit)
    if group is not None:
        group.members.append(unit)
    record("unit_added", unit, actor=actor, kind=kind.value, unit=name, unit_en=name_en,
           group=group.id if group is not None else None, council=council)
    return unit


def switch(unit: Unit, actor: Account, *, on: bool) -> None:
    """Switch a unit off (no longer offered for routing) or on again; its history stays either way."""
    _require_office(actor)
    if unit.is_active is on:
        raise DomainError(_("%(unit)s is switched on already.", unit=unit.display_name) if on
                          else _("%(unit)s is switched off already.", unit=unit.display_name))
    unit.is_active = on
    record("unit_switched_on" if on else "unit_switched_off", unit, actor=actor, unit=unit.name,
           unit_en=unit.name_en)
