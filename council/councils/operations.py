"""Creating councils and reading the council tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, selectinload

from council.audit.operations import record
from council.councils.models import KIND_TIER, PARENT_TIER, Council, CouncilKind
from council.errors import DomainError, require
from council.extensions import db
from council.i18n import BilingualName
from council.loading import prepared


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
    [council] = create_councils([NewCouncil(code, name, kind, parent, name_en, is_demo)], actor=actor)
    return council


class NewCouncil(NamedTuple):
    code: str
    name: str
    kind: CouncilKind
    parent: Council | None = None
    name_en: str | None = None
    is_demo: bool = False


def create_councils(new: list[NewCouncil], *, actor=None) -> list[Council]:
    """Councils, in the order given, each under a council of the tier above it (which may come earlier in ``new``);
    one statement checks every code and one flush gives them all their ids (a district's import)."""
    codes = [n.code for n in new]
    taken = set(db.session.scalars(select(Council.code).where(Council.code.in_(codes)))) if codes else set()
    made = []
    for code, name, kind, parent, name_en, is_demo in new:
        tier = KIND_TIER[kind]
        expected_parent = PARENT_TIER[tier]
        require(
            (parent is None and expected_parent is None) or (parent is not None and parent.tier is expected_parent),
            _("A %(kind)s belongs under a council of the tier above it.", kind=kind.label),
            DomainError,
        )
        require(code not in taken, _("The code %(code)s is already used.", code=code), DomainError)
        taken.add(code)
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
        made.append(council)
    db.session.flush()
    for council in made:
        record("council_created", council, actor=actor, council=council, to_state=council.tier)
    return made


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


@dataclass
class TreeNode(BilingualName):
    """A council as a tree of names shows it: read as a plain row, not as a full object. ``below``: how many
    councils sit directly under it (also when they were not read)."""

    id: int
    name: str
    name_en: str | None
    kind: CouncilKind
    below: int
    children: list[TreeNode] = field(default_factory=list)


def _name_tree_statement(levels: int | None, below: bool):
    columns = [Council.id, Council.parent_id, Council.name, Council.name_en, Council.kind]
    if levels is not None or below:
        under = aliased(Council)
        columns.append(select(func.count(under.id)).where(under.parent_id == Council.id).scalar_subquery()
                       .label("below"))
    query = select(*columns)
    if levels is not None:  # a path has one more slash than its depth: /zhoucun/beijiao/ is the second tier
        query = query.where(~Council.path.like("/%" * (levels + 1) + "/"))
    if below:
        query = query.where(Council.parent_id == bindparam("below"))
    return query.order_by(Council.id)


def name_tree(levels: int | None = None, *, below: Council | None = None) -> list[TreeNode]:
    """The councils as a tree of names, in one statement. ``levels``: how many tiers to read (the home page shows
    the district and its towns and streets, and how many councils each has below it: two). ``below``: only the
    councils directly under this one, with their own counts (a council's page)."""
    counted = levels is not None or below is not None
    rows = db.session.execute(prepared(("name-tree", levels, below is not None),
                                       lambda: _name_tree_statement(levels, below is not None)),
                              {"below": below.id} if below is not None else {}).mappings().all()
    nodes = {row["id"]: TreeNode(row["id"], row["name"], row["name_en"], row["kind"], row["below"] if counted else 0)
             for row in rows}
    roots = []
    for row in rows:  # in the order of ids, as the councils' ``children`` are
        parent = nodes.get(row["parent_id"])
        (parent.children if parent is not None else roots).append(nodes[row["id"]])
    if not counted:
        for node in nodes.values():
            node.below = len(node.children)
    return roots
