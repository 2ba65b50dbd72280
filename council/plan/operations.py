"""Every change to the action plan: a plan document applied as a new version, and the office's mapping of an old
version's tasks to the current plan's (docs/guides/office.md, "A new version of the plan").

A new version never touches the old ones: their tasks stay, ideas keep the task they were tagged with, indicators
keep their reports. The highest version is the current plan (council/plan/queries.py ``current_plan_id``)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from council.audit.operations import record
from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.plan import files
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask, PlanTaskSuccessor, plan_task_lead_units
from council.plan.queries import current_plan, current_plan_id, current_tasks, is_current

DETAILS = ("title", "document_no", "issued_on")


class AlreadyCurrent(DomainError):
    """The document is the current plan already: applying it again (a double submit) creates nothing."""


def _optional(value):
    return value or None


def fingerprint(document: dict) -> str:
    """sha256 of what the plan says — its areas, actions, tasks, lead units and targets — as canonical JSON. The
    code, version, title, number and date are left out: the same tasks under another title are the same plan."""
    content = [{
        "no": area["no"], "name": area["name"], "name_en": _optional(area.get("name_en")),
        "actions": [{
            "no": action["no"], "name": action["name"], "name_en": _optional(action.get("name_en")),
            "tasks": [{
                "no": task["no"], "title": task["title"], "title_en": _optional(task.get("title_en")),
                "text": task["text"], "text_en": _optional(task.get("text_en")), "lead_units": task["lead_units"],
                "targets": [{key: _optional(target.get(key)) if key in ("name_en", "unit_en") else target[key]
                             for key in ("code", "name", "name_en", "comparison", "target", "unit", "unit_en",
                                         "deadline")} for target in task.get("targets") or []],
            } for task in action["tasks"]],
        } for action in area["actions"]],
    } for area in document["areas"]]
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan_fingerprint(plan: Plan) -> str:
    """The stored fingerprint, or for a plan the seed loaded, the one of its rows."""
    return plan.fingerprint or fingerprint(files.plan_document(plan))


def with_details(document: dict, *, title: str | None = None, document_no: str | None = None,
                 issued_on: date | str | None = None) -> dict:
    """The document with the title, document number and date of issue the office gives (in the form or as the
    command's options) in place of the file's; what is not given stays as the file has it (the .txt and .xlsx
    readers may have none)."""
    given = {"title": title, "document_no": document_no,
             "issued_on": issued_on.isoformat() if isinstance(issued_on, date) else issued_on}
    return document | {key: value.strip() for key, value in given.items() if value and value.strip()}


def detail_problems(document: dict) -> list[tuple[str, str]]:
    """What a plan needs that the document lacks or gets wrong, as (field, words): its title and date of issue
    (the number may stay empty)."""
    problems = []
    if not (document.get("title") or "").strip():
        problems.append(("title", _("The plan has no title: give it.")))
    elif len(document["title"].strip()) > 200:
        problems.append(("title", _("The plan's title is longer than %(n)s characters.", n=200)))
    if len((document.get("document_no") or "").strip()) > 64:
        problems.append(("document_no", _("The document number is longer than %(n)s characters.", n=64)))
    issued = document.get("issued_on")
    if not issued:
        problems.append(("issued_on", _("The plan has no date of issue: give it.")))
    else:
        try:
            issued_on = date.fromisoformat(issued)
        except ValueError:
            problems.append(("issued_on", _("“%(value)s” is not a date.", value=issued[:40])))
        else:
            if not 2000 <= issued_on.year <= clock.today().year + 1:
                problems.append(("issued_on", _("The date of issue %(value)s is not a plan's date.", value=issued)))
    return problems


def is_current_document(document: dict) -> bool:
    """Whether the document says what the current plan says (``fingerprint``)."""
    current = current_plan()
    return current is not None and plan_fingerprint(current) == fingerprint(document)


def apply_document(document: dict, *, actor) -> Plan:
    """Create the plan in ``document`` (as ``files.read_plan`` returns it) as the new current version: its areas,
    actions and tasks in order, each task's lead units in the plan's order, and an indicator for each target.
    ``actor``: the office's account, or None from the command line (``plan load --apply``, ``setup --district``).

    Refused, creating nothing, when the preview finds problems (a lead unit no unit is called: never guessed), when
    the plan's title or date of issue is missing (``with_details`` adds them), or when the document is the current
    plan already (``AlreadyCurrent``)."""
    require(actor is None or actor.is_coordinator, _("Only the district coordinating office loads a plan."))
    shown = files.preview(document)
    problems = shown.problems + [words for _field, words in detail_problems(document)]
    if problems:
        raise files.PlanFileError(problems)
    content = fingerprint(document)
    current = current_plan()
    if current is not None and plan_fingerprint(current) == content:
        raise AlreadyCurrent(_("This plan is already the current plan (version %(version)s). Nothing was changed.",
                               version=current.version))
    version = (db.session.scalar(select(func.max(Plan.version))) or 0) + 1
    plan = Plan(code=_free_code(document.get("code"), version), version=version, title=document["title"].strip(),
                title_en=_optional(document.get("title_en")), document_no=(document.get("document_no") or "").strip(),
                issued_on=date.fromisoformat(document["issued_on"]), fingerprint=content)
    db.session.add(plan)
    tasks: list[tuple[PlanTask, dict]] = []
    for area_data in document["areas"]:
        area = PlanArea(no=area_data["no"], name=area_data["name"], name_en=_optional(area_data.get("name_en")))
        plan.areas.append(area)
        for action_data in area_data["actions"]:
            action = PlanAction(no=action_data["no"], name=action_data["name"],
                                name_en=_optional(action_data.get("name_en")))
            area.actions.append(action)
            for task_data in action_data["tasks"]:
                task = PlanTask(no=task_data["no"], title=task_data["title"].strip(),
                                title_en=_optional(task_data.get("title_en")), text=task_data["text"].strip(),
                                text_en=_optional(task_data.get("text_en")))
                action.tasks.append(task)
                tasks.append((task, task_data))
    db.session.flush()
    leads = {preview_task.no: preview_task.lead_units for preview_task in shown.tasks}
    db.session.execute(plan_task_lead_units.insert(), [
        {"task_id": task.id, "unit_id": unit.id, "position": position}
        for task, _data in tasks for position, unit in enumerate(leads[task.no])])
    indicators = _create_indicators(plan, tasks, current)
    record("plan_applied", plan, actor=actor, version=version, areas=shown.areas, actions=shown.actions,
           tasks=shown.task_count, indicators=indicators, previous=current.version if current else None)
    return plan


def _free_code(code: str | None, version: int) -> str:
    """The document's code when no plan has it; otherwise (a file exported from an earlier version keeps its code)
    the code with the version after it."""
    base = (code or "plan").strip()[:56]
    taken = set(db.session.scalars(select(Plan.code).where(Plan.code.startswith(base))))
    if code and base not in taken:
        return base
    candidate, n = f"{base}-v{version}", 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-v{version}-{n}"
    return candidate


def _create_indicators(plan: Plan, tasks: list[tuple[PlanTask, dict]], previous: Plan | None) -> int:
    """An indicator for each target of the document. What a file does not carry — the plain words for children,
    how often units report, the baseline and the plan's words it comes from — is taken from the previous version's
    indicator with the same code; a new target gets its name as its plain words, a yearly report and its task's
    text as its source, which the office can change later."""
    from council.indicators.models import Comparison, Frequency, Indicator

    earlier = {i.code: i for i in db.session.scalars(select(Indicator).where(Indicator.plan_id == previous.id))} \
        if previous is not None else {}
    position = 0
    for task, task_data in tasks:
        for target in task_data.get("targets") or []:
            before = earlier.get(target["code"])
            db.session.add(Indicator(
                plan=plan, task=task, code=target["code"], position=position, name=target["name"],
                name_en=_optional(target.get("name_en")),
                label=before.label if before else target["name"],
                label_en=before.label_en if before else _optional(target.get("name_en")),
                comparison=Comparison(target["comparison"]), target=target["target"], unit=target["unit"],
                unit_en=target.get("unit_en") or "", baseline=before.baseline if before else None,
                baseline_year=before.baseline_year if before else None, deadline=target["deadline"],
                deadline_in_text=before.deadline_in_text if before else True,
                frequency=before.frequency if before else Frequency.year,
                source=before.source if before else task.text, active=True))
            position += 1
    return position


# --- mapping old tasks to the current plan's ---------------------------------------------------------------

def suggested_successors(old: Plan) -> dict[int, PlanTask]:
    """For the mapping form: old task id → the current task with the same number and the same title. Only ever
    shown as the form's first choice; nothing is mapped until the office saves."""
    by_no = {task.no: task for task in db.session.scalars(current_tasks())}
    return {task.id: by_no[task.no] for area in old.areas for action in area.actions for task in action.tasks
            if task.no in by_no and by_no[task.no].title == task.title}


def map_tasks(old: Plan, choices: dict[int, int | None], *, actor) -> int:
    """Save the office's mapping of ``old``'s tasks: old task id → the current plan's task id it continues in, or
    None for a task that continues in none. Each old task continues in at most one task. Returns how many mappings
    changed."""
    require(actor is not None and actor.is_coordinator, _("Only the district coordinating office maps tasks."))
    require(not is_current(old), _("The current plan's tasks continue in themselves: there is nothing to map."),
            DomainError)
    old_ids = {task.id for area in old.areas for action in area.actions for task in action.tasks}
    new_ids = set(db.session.scalars(select(PlanTask.id).where(PlanTask.plan_id == current_plan_id())))
    require(set(choices) <= old_ids, _("That task is not in this version of the plan."), DomainError)
    require({v for v in choices.values() if v is not None} <= new_ids,
            _("Choose a task of the current plan."), DomainError)
    saved = {row.old_task_id: row for row in db.session.scalars(
        select(PlanTaskSuccessor).where(PlanTaskSuccessor.old_task_id.in_(list(choices))))} if choices else {}
    changed = 0
    for old_id, new_id in choices.items():
        row = saved.get(old_id)
        if new_id is None and row is not None:
            db.session.delete(row)
        elif new_id is not None and row is None:
            db.session.add(PlanTaskSuccessor(old_task_id=old_id, new_task_id=new_id, mapped_by_id=actor.id,
                                             mapped_at=clock.now()))
        elif new_id is not None and row.new_task_id != new_id:
            row.new_task_id, row.mapped_by_id, row.mapped_at = new_id, actor.id, clock.now()
        else:
            continue
        changed += 1
    if changed:
        record("plan_tasks_mapped", old, actor=actor, version=old.version, changed=changed)
    return changed
