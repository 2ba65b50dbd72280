"""Numbers in URLs and forms are ids and counts: anything beyond a 32-bit integer is treated as no number at all.

Without this, ``/ideas/99999999999999999999`` or ``?council=9223372036854775808`` would reach the database and
fail there (SQLite cannot bind it, PostgreSQL refuses it) with a server error instead of a 404 or a default."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

from council.text import clean, clean_json

LARGEST = 2**31 - 1


def _fits(value) -> bool:
    return not isinstance(value, int) or -LARGEST <= value <= LARGEST


class BoundedMultiDict(ImmutableMultiDict):
    """Form fields and query arguments: numbers beyond 32 bits are no number, and text arrives cleaned of the
    invisible characters that hide or reorder it (council/text.py)."""

    def __init__(self, mapping=None):
        values = MultiDict(mapping).items(multi=True)
        super().__init__([(clean(key), clean(value) if isinstance(value, str) else value) for key, value in values])

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        value = super().get(key, default=default, type=type)
        return value if value is default or _fits(value) else default

    def getlist(self, key, type=None):  # noqa: A002
        return [value for value in super().getlist(key, type=type) if _fits(value)]


class BoundedRequest(Request):
    parameter_storage_class = BoundedMultiDict

    def get_json(self, force=False, silent=False, cache=True):
        return clean_json(super().get_json(force=force, silent=silent, cache=cache))


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    """Before any route is added: the converter is looked up when a rule is bound to the map."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
