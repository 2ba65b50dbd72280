"""The one list envelope of this API: ``{"items": [...], "page", "pages", "total"}``."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from sqlalchemy import Select

from council.extensions import db


def page_args() -> tuple[int, int]:
    maximum = current_app.config["API_MAX_PER_PAGE"]
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", 50, type=int)
    return max(page, 1), min(max(per_page, 1), maximum)


def envelope(items: list, page: int, per_page: int, total: int) -> dict:
    """The list envelope for items already serialised and a total counted (or kept) elsewhere."""
    return {"items": items, "page": page, "pages": max((total + per_page - 1) // per_page, 1), "total": total}


def paginated(query: Select, serialise: Callable) -> dict:
    page, per_page = page_args()
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return {
        "items": [serialise(item) for item in result.items],
        "page": result.page,
        "pages": result.pages,
        "total": result.total,
    }


def whole(items: list, serialise: Callable) -> dict:
    """A list that is always returned complete (a tree, for instance) in the same envelope."""
    return {"items": [serialise(item) for item in items], "page": 1, "pages": 1, "total": len(items)}
