from __future__ import annotations

from flask import abort, jsonify

from council.api import bp
from council.plan.queries import current_plan


def task_json(task) -> dict:
    return {
        "no": task.no,
        "title": task.title,
        "title_en": task.title_en,
        "text": task.text,
        "text_en": task.text_en,
        "lead_units": [unit.name for unit in task.lead_units],
        "lead_unit_ids": [unit.id for unit in task.lead_units],
    }


@bp.get("/plan")
def plan():
    plan = current_plan() or abort(404)
    return jsonify({
        "code": plan.code,
        "version": plan.version,
        "title": plan.title,
        "document_no": plan.document_no,
        "issued_on": plan.issued_on.isoformat(),
        "areas": [
            {
                "no": area.no,
                "name": area.name,
                "name_en": area.name_en,
                "actions": [
                    {"no": action.no, "name": action.name, "name_en": action.name_en,
                     "tasks": [task_json(task) for task in action.tasks]}
                    for action in area.actions
                ],
            }
            for area in plan.areas
        ],
    })
