from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.api import bp
from council.api.pagination import paginated
from council.units.models import Unit, UnitKind


def unit_json(unit: Unit) -> dict:
    return {
        "id": unit.id,
        "name": unit.name,
        "name_en": unit.name_en,
        "kind": unit.kind.value,
        "tier": unit.tier.value,
        "routable": unit.routable,
        "members": [member.id for member in unit.members],
    }


@bp.get("/units")
def units():
    query = select(Unit).options(selectinload(Unit.members)).order_by(Unit.id)
    kind = request.args.get("kind")
    if kind in UnitKind._value2member_map_:
        query = query.where(Unit.kind == UnitKind(kind))
    return jsonify(paginated(query, unit_json))
