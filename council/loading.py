"""Filling one-to-many relationships of objects already loaded, one plain statement per relationship.

It does what ``selectinload`` does — one ``WHERE parent IN (…)`` statement for all the parents, the relationship's
own order, the rows set as the relationship's loaded value — at a third of its cost: SQLAlchemy's selectin loader
spends about 0.9 ms of CPU on each relationship, even an empty one, where the plain statement takes 0.25 ms (this
machine, `make bench` data). A page that shows six short lists of one idea saves several milliseconds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.orm.attributes import set_committed_value

from council.extensions import db


def preload(parents: Sequence, relationship: QueryableAttribute, *options) -> list:
    """Set ``relationship`` (a one-to-many, e.g. ``Proposal.edits``) on every parent; ``options`` apply to the
    children (e.g. ``joinedload(Attachment.file)``). Returns all the children read."""
    if not parents:
        return []
    prop = relationship.property
    (local, remote), = prop.local_remote_pairs
    parent_key = prop.parent.get_property_by_column(local).key
    child_key = prop.mapper.get_property_by_column(remote).key
    child = prop.mapper.class_
    query = select(child).where(getattr(child, child_key).in_({getattr(p, parent_key) for p in parents}))
    if prop.order_by:
        query = query.order_by(*prop.order_by)
    children = list(db.session.scalars(query.options(*options)))
    groups = defaultdict(list)
    for item in children:
        groups[getattr(item, child_key)].append(item)
    for parent in parents:
        set_committed_value(parent, prop.key, groups.get(getattr(parent, parent_key), []))
    return children
