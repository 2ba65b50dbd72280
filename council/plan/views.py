from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from council.extensions import db
from council.plan.models import PlanTask
from council.plan.queries import current_plan

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.get("/")
def index():
    plan = current_plan() or abort(404)
    actions = [action for area in plan.areas for action in area.actions]
    counts = {"areas": len(plan.areas), "actions": len(actions), "tasks": sum(len(a.tasks) for a in actions)}
    return render_template("plan/index.html", plan=plan, counts=counts)


@bp.get("/tasks/<int:no>")
def task(no: int):
    task = db.session.scalar(select(PlanTask).where(PlanTask.no == no)) or abort(404)
    return render_template("plan/task.html", task=task)
