"""The OpenAPI 3 document of the open data API and the units' API, at /api/v1/openapi.json."""

from __future__ import annotations

from flask import jsonify

from council.api import bp


@bp.get("/openapi.json")
def openapi():
    from council.api.spec import document

    return jsonify(document())
