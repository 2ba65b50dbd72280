"""A work list's page (the screening queue, the routing queue): ``?page=`` of a statement, with the total. A list
that grows with the district is never drawn whole: at the benchmark's scale the office's screening queue was 1.9 MB
and 3 s in one page. The pages' links are ``macros/pager.html``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from council.extensions import db


@dataclass(frozen=True)
class Paged:
    items: list[Any]
    page: int  # 1 is the first
    pages: int  # at least 1
    total: int


def asked_page(argument: str = "page") -> int:
    """The page a request names (``?page=``, or ``argument`` for a second list on the page): 1 when it names none
    or no number."""
    return request.args.get(argument, 1, type=int)


def asked_words() -> str:
    """The words a list's search box sent (``?q=``), trimmed to the box's 64 characters; empty when none."""
    return (request.args.get("q") or "").strip()[:64]


def page_of(query: Select | None, page: int, *, options=(), per_page: int | None = None) -> Paged:
    """Page ``page`` of ``query`` (a ``select`` of one entity, in its order; None: an empty list): the first when
    below 1, the last when past the end (an old link after the list got shorter), each item loaded with
    ``options``."""
    if query is None:
        return Paged([], 1, 1, 0)
    per_page = per_page or current_app.config["LIST_PER_PAGE"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(-(-total // per_page), 1)
    page = min(max(page, 1), pages)
    items = db.session.scalars(query.options(*options).limit(per_page).offset((page - 1) * per_page)).all()
    return Paged(list(items), page, pages, total)
