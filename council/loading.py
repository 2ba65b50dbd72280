"""Reading fast: one-to-many relationships filled with one plain statement each, and statements built once.

``preload`` does what ``selectinload`` does — one ``WHERE parent IN (…)`` statement for all the parents, the
relationship's own order, the rows set as the relationship's loaded value — at a third of its cost: SQLAlchemy's
selectin loader spends about 0.9 ms of CPU on each relationship, even an empty one, where the plain statement
takes 0.25 ms (this machine, `make bench` data).
A page that shows six short lists of one idea saves several milliseconds.

``prepared`` keeps a statement built once per *shape* (which filters a list has, not their values) and the page
executes it with its values as parameters. Building a filtered ``select`` and computing the key of SQLAlchemy's
compiled cache take about 1 ms of CPU per list page, as much as running both of its statements.

``rows`` runs a statement that reads columns, not objects, without the ORM's execution around it."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence

from flask import current_app
from sqlalchemy import BigInteger, Integer, bindparam, select
from sqlalchemy.orm import QueryableAttribute, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from council.extensions import db


def preload(parents: Sequence, relationship: QueryableAttribute, *joined: QueryableAttribute) -> list:
    """Set ``relationship`` (a one-to-many, e.g. ``Proposal.edits``) on every parent; ``joined``: many-to-ones of
    the children read with them (e.g. ``Attachment.file``). Returns all the children read."""
    if not parents:
        return []
    prop = relationship.property
    (local, remote), = prop.local_remote_pairs
    parent_key = prop.parent.get_property_by_column(local).key
    child_key = prop.mapper.get_property_by_column(remote).key

    def build():
        child = prop.mapper.class_
        query = select(child).where(getattr(child, child_key).in_(bindparam("parents", expanding=True)))
        if prop.order_by:
            query = query.order_by(*prop.order_by)
        return query.options(*(joinedload(attribute) for attribute in joined))

    query = prepared(("preload", prop, *(attribute.property for attribute in joined)), build)
    children = list(db.session.scalars(query, {"parents": list({getattr(p, parent_key) for p in parents})}))
    groups = defaultdict(list)
    for item in children:
        groups[getattr(item, child_key)].append(item)
    for parent in parents:
        set_committed_value(parent, prop.key, groups.get(getattr(parent, parent_key), []))
    return children


def preload_known(found: bool, parents: Sequence, relationship: QueryableAttribute,
                  *joined: QueryableAttribute) -> list:
    """``preload``, when the caller already knows whether there are any children (e.g. an ``EXISTS`` read with the
    parent): none found, the relationship is set empty and nothing is read."""
    if found:
        return preload(parents, relationship, *joined)
    for parent in parents:
        set_committed_value(parent, relationship.property.key, [])
    return []


# Shapes kept per worker, at most: far more than the lists have (a few hundred filter combinations and search
# lengths); past it the kept statements are dropped and built again as pages ask for them.
KEPT_STATEMENTS = 2_000
_statements: dict[Hashable, object] = {}


class WrongShape(AssertionError):
    """Two statements of different SQL were kept under one key: the key misses something that changes the SQL."""


def written(name: str, value: int | None = None, *, big: bool = False):
    """A LIMIT or OFFSET that is written into the statement as it runs instead of being sent as a parameter.
    PostgreSQL plans a prepared statement once (its generic plan) only when that plan costs no more than one made
    for the values at hand, and a generic plan cannot see how many rows a LIMIT asks for: the list's cards, the
    desk's rows and the home page's answers were planned again on every run (0.3–0.7 ms each) for want of it.
    The statement is still built once (``prepared``); each distinct value is its own SQL text."""
    return bindparam(name, value, type_=BigInteger if big else Integer, literal_execute=True)


def rows(statement, values: dict | None = None):
    """The result of ``statement``, which reads columns (no ORM objects to make), run on the session's connection,
    in its transaction, after the session's pending changes are flushed where it would have flushed them itself.
    ``Session.execute`` adds its ORM context and row processing for nothing it would load: 0.1–0.2 ms of the idea
    list's two statements (about 3 % of the page), and the statistics' 8,000 groups were read faster summed."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(statement, values or {})


def prepared(shape: Hashable, build: Callable[[], object]):
    """The statement ``build`` makes, built the first time and kept under the code of ``build`` and ``shape``.

    The code of ``build`` tells apart every place that builds a statement (no two callers can share a key by a
    name); ``shape`` must hold every value that ``build`` reads to decide the statement's text (which filters, which
    columns), while the values a page varies go in as parameters (``bindparam``) when it is executed. With
    ``CHECK_KEPT_STATEMENTS`` on (the tests), a call builds the statement again and compares its structure
    (SQLAlchemy's cache key: what it compiles to, without the bound values) with the kept one's, so a shape that
    misses something fails the test that reaches it. A call whose ``build`` reads the same values as one already
    compared (``_inputs``: what it closes over, when none of it can change) would build the same statement, and is
    not compared again."""
    key = (build.__code__, shape)
    statement = _statements.get(key)
    checking = current_app.config.get("CHECK_KEPT_STATEMENTS", current_app.testing)
    inputs = _inputs(build) if checking else None
    if statement is None:
        if len(_statements) >= KEPT_STATEMENTS or len(_compared) >= KEPT_STATEMENTS:
            _statements.clear()
            _compared.clear()
        statement = _statements[key] = build()
    # SQLAlchemy's own cache key of a statement is its shape without the bound values: what it compiles to.
    elif checking and (inputs is None or (key, inputs) not in _compared) \
            and build()._generate_cache_key() != statement._generate_cache_key():
        raise WrongShape(f"the statement kept as {shape!r} ({build.__code__.co_filename}:"
                         f"{build.__code__.co_firstlineno}) has another SQL for this call")
    if inputs is not None:
        _compared.add((key, inputs))
    return statement


# Under test: (key, inputs) of the calls whose statement was built from those inputs or found to be the kept one's.
_compared: set[tuple] = set()
_CHANGING = object()


def _inputs(build: Callable[[], object]) -> tuple | None:
    """What ``build`` reads besides the modules' names — the values it closes over and its defaults — each with its
    type (``1`` is not ``True``), when none of them can change: None, numbers, strings, enums, classes, and tuples
    and frozensets of those. Then building again from the same inputs gives the same statement. None when any input
    could change (a list, a dict, a record, a function), and such a call is compared every time."""
    try:
        cells = tuple(cell.cell_contents for cell in build.__closure__ or ())
    except ValueError:  # a cell not yet filled
        return None
    inputs = _fixed((cells, build.__defaults__ or (), tuple(sorted((build.__kwdefaults__ or {}).items()))))
    return None if inputs is _CHANGING else inputs


def _fixed(value):
    if value is None or isinstance(value, bool | int | float | str | bytes | enum.Enum | type):
        return type(value), value
    if isinstance(value, tuple | frozenset):
        items = [_fixed(item) for item in value]
        return _CHANGING if any(item is _CHANGING for item in items) else (type(value), type(value)(items))
    return _CHANGING
