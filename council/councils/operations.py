"""Creating councils and reading the council tree."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.audit.operations import record
from council.councils.models import KIND_TIER, PARENT_TIER, Council, CouncilKind
from council.errors import DomainError, require
from council.extensions import db


def create_council(
    code: str,
    name: str,
    kind: CouncilKind,
    parent: Council | None = None,
    *,
    name_en: str | None = None,
    is_demo: bool = False,
    actor=None,
) -> Council:
    tier = KIND_TIER[kind]
    expected_parent = PARENT_TIER[tier]
    require(
        (parent is None and expected_parent is None) or (parent is not None and parent.tier is expected_parent),
        _("A %(kind)s belongs under a council of the tier above it.", kind=kind.label),
        DomainError,
    )
    require(db.session.scalar(select(Council.id).where(Council.code == code)) is None,
            _("The code %(code)s is already used.", code=code), DomainError)
    council = Council(
        code=code,
        name=name,
        name_en=name_en,
        tier=tier,
        kind=kind,
        parent=parent,
        path=(parent.path if parent else "/") + code + "/",
        is_demo=is_demo,
    )
    db.session.add(council)
    record("council_created", council, actor=actor, council=council, to_state=tier)
    return council


def roots() -> list[Council]:
    return list(db.session.scalars(select(Council).where(Council.parent_id.is_(None)).order_by(Council.id)))


def subtree(council: Council) -> list[Council]:
    return list(db.session.scalars(
        select(Council).where(Council.path.startswith(council.path)).order_by(Council.path)))


def tree() -> list[Council]:
    """The root councils with every level of ``children`` loaded up front, one query per level."""
    return list(db.session.scalars(
        select(Council)
        .where(Council.parent_id.is_(None))
        .options(selectinload(Council.children, recursion_depth=4))
        .order_by(Council.id)
    ))
