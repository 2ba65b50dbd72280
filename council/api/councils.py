from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from council.api import bp
from council.api.pagination import paginated, whole
from council.councils.models import Council, Tier
from council.councils.operations import tree


def council_json(council: Council) -> dict:
    return {
        "id": council.id,
        "code": council.code,
        "name": council.name,
        "name_en": council.name_en,
        "tier": council.tier.value,
        "kind": council.kind.value,
        "parent_id": council.parent_id,
        "is_demo": council.is_demo,
    }


def council_tree_json(council: Council) -> dict:
    return council_json(council) | {"children": [council_tree_json(c) for c in council.children]}


@bp.get("/councils")
def councils():
    """The council tree from the district down; ``?flat=1`` (optionally ``&tier=``) pages through a flat list."""
    if request.args.get("flat"):
        query = select(Council).order_by(Council.path)
        tier = request.args.get("tier")
        if tier in Tier._value2member_map_:
            query = query.where(Council.tier == Tier(tier))
        return jsonify(paginated(query, council_json))
    return jsonify(whole(tree(), council_tree_json))
