"""Reading the action plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from council.extensions import db
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask, PlanTaskSuccessor


def current_plan_id():
    """SQL: the id of the current plan. The one rule of which plan is current: the highest version. Every reader
    of "the plan" (the plan pages, the idea wizard, routing suggestions, indicators, statistics, coverage, the
    API) goes through this, ``current_plan`` or ``current_tasks``."""
    newest = aliased(Plan, name="newest_plan")
    return select(newest.id).order_by(newest.version.desc()).limit(1).scalar_subquery()


def is_current(plan: Plan) -> bool:
    return db.session.scalar(select(current_plan_id())) == plan.id


def current_tasks():
    """``select(PlanTask)`` of the current plan's tasks, in the plan's order (numbers run through the plan)."""
    return select(PlanTask).where(PlanTask.plan_id == current_plan_id()).order_by(PlanTask.no)


def current_task(no: int) -> PlanTask | None:
    """The current plan's task numbered ``no``: what "task 27" means on a page, in a form or a filter."""
    return db.session.scalar(current_tasks().where(PlanTask.no == no))


def plan_of_version(version: int) -> Plan | None:
    return db.session.scalar(_with_tasks(select(Plan).where(Plan.version == version)))


def versions() -> list[Plan]:
    """Every version of the plan, newest first."""
    return list(db.session.scalars(select(Plan).order_by(Plan.version.desc())))


def lineage():
    """SQL (a recursive CTE): ``task_id`` → ``current_id`` for every task that is a task of the current plan (itself)
    or continues in one through the office's mapping, however many versions back. The one rule by which ideas
    tagged with an old task count under the current task it continues in: coverage, statistics, the idea list's
    task and area filters. Each mapping points to a newer version, so the walk ends."""
    base = (select(PlanTask.id.label("task_id"), PlanTask.id.label("current_id"))
            .where(PlanTask.plan_id == current_plan_id()).cte("task_lineage", recursive=True))
    return base.union_all(select(PlanTaskSuccessor.old_task_id, base.c.current_id)
                          .join(base, base.c.task_id == PlanTaskSuccessor.new_task_id))


def current_task_ids() -> dict[int, int]:
    """Every task id that counts under a current task → that current task's id (see ``lineage``)."""
    walk = lineage()
    return dict(db.session.execute(select(walk.c.task_id, walk.c.current_id)).all())


def current_task_of(task_id: int | None) -> int | None:
    """The id of the current plan's task that ``task_id`` is or continues in; None when it continues in none."""
    return None if task_id is None else current_task_ids().get(task_id)


def current_plan() -> Plan | None:
    """The current version of the plan, with its areas, actions, tasks and their lead units."""
    return db.session.scalar(_with_tasks(select(Plan).where(Plan.id == current_plan_id())))


def _with_tasks(query):
    return query.options(
        selectinload(Plan.areas)
        .selectinload(PlanArea.actions)
        .selectinload(PlanAction.tasks)
        .selectinload(PlanTask.lead_units)
    )
