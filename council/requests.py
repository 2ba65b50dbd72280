"""Numbers in URLs and forms are ids and counts: anything beyond a 32-bit integer is treated as no number at all.

Without this, ``/ideas/99999999999999999999`` or ``?council=9223372036854775808`` would reach the database and
fail there (SQLite cannot bind it, PostgreSQL refuses it) with a server error instead of a 404 or a default."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

LARGEST = 2**31 - 1


def _fits(value) -> bool:
    return not isinstance(value, int) or -LARGEST <= value <= LARGEST


class BoundedMultiDict(ImmutableMultiDict):
    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        value = super().get(key, default=default, type=type)
        return value if value is default or _fits(value) else default

    def getlist(self, key, type=None):  # noqa: A002
        return [value for value in super().getlist(key, type=type) if _fits(value)]


class BoundedRequest(Request):
    parameter_storage_class = BoundedMultiDict


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    """Before any route is added: the converter is looked up when a rule is bound to the map."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
