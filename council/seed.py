"""Reference data from the package's data files. Running it again changes nothing."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from sqlalchemy import select

from council.councils.models import Council, CouncilKind
from council.councils.operations import create_council
from council.extensions import db
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask, plan_task_lead_units
from council.units.models import Unit, UnitKind


def load_data(name: str) -> dict:
    return json.loads(resources.files("council.data").joinpath(name).read_text(encoding="utf-8"))


def _set(record, **values) -> None:
    """Assign only what differs, so an unchanged row is never marked dirty."""
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)


def seed_councils(english: dict[str, str]) -> dict[str, Council]:
    data = load_data("councils.json")
    existing = {c.code: c for c in db.session.scalars(select(Council))}

    def upsert(code, name, kind, parent):
        council = existing.get(code)
        if council is None:
            council = create_council(code, name, kind, parent, name_en=english.get(name))
            existing[code] = council
        else:
            _set(council, name=name, name_en=english.get(name))
        return council

    district = upsert(data["district"]["code"], data["district"]["name"], CouncilKind.district, None)
    for town in data["towns"]:
        upsert(town["code"], town["name"], CouncilKind(town["kind"]), district)
    return existing


def seed_units(plan: dict, english: dict[str, str]) -> dict[str, Unit]:
    special = load_data("units.json")
    kinds = {name: UnitKind.mechanism for name in special["mechanism"]}
    kinds |= {name: UnitKind.group for name in special["group"]}
    names: list[str] = []
    for area in plan["areas"]:
        for action in area["actions"]:
            for task in action["tasks"]:
                names += [n for n in task["lead_units"] if n not in names]
    for group in special["group"].values():
        names += [n for n in group["members"] if n not in names]

    units = {u.name: u for u in db.session.scalars(select(Unit))}
    for name in names:
        kind = kinds.get(name, UnitKind.department)
        if name in units:
            _set(units[name], name_en=english.get(name), kind=kind)
        else:
            units[name] = Unit(name=name, name_en=english.get(name), kind=kind)
            db.session.add(units[name])
    for name, group in special["group"].items():
        wanted = [units[m] for m in group["members"]]
        if units[name].members != wanted:
            units[name].members = wanted
    return units


def seed_offices(councils: dict[str, Council]) -> None:
    """The governments of the towns and streets (units.json "offices"), each linked to its council. Whether one is
    switched on is the office's to decide (council/units/operations.py), so a run never switches one back on."""
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    for code, office in load_data("units.json")["offices"].items():
        council = councils[code]
        unit = units.get(office["name"])
        if unit is None:
            db.session.add(Unit(name=office["name"], name_en=office["name_en"], kind=UnitKind.office,
                                tier=council.tier, council=council))
        else:
            _set(unit, name_en=office["name_en"], kind=UnitKind.office, tier=council.tier, council_id=council.id)


def seed_plan() -> Plan:
    data = load_data("plan.json")
    english = load_data("plan_en.json")
    units = seed_units(data, english["units"])

    plan = db.session.scalar(select(Plan).where(Plan.code == data["code"]))
    if plan is None:
        plan = Plan(code=data["code"])
        db.session.add(plan)
    _set(plan, version=data["version"], title=data["title"], title_en=data["title_en"],
         document_no=data["document_no"], issued_on=date.fromisoformat(data["issued_on"]))

    areas = {a.no: a for a in plan.areas}
    for area_data in data["areas"]:
        area = areas.get(area_data["no"]) or _append(plan.areas, PlanArea(no=area_data["no"]))
        _set(area, name=area_data["name"], name_en=english["areas"][str(area.no)])
        actions = {a.no: a for a in area.actions}
        for action_data in area_data["actions"]:
            action = actions.get(action_data["no"]) or _append(area.actions, PlanAction(no=action_data["no"]))
            _set(action, name=action_data["name"], name_en=english["actions"][str(action.no)])
            tasks = {t.no: t for t in action.tasks}
            for task_data in action_data["tasks"]:
                task = tasks.get(task_data["no"]) or _append(action.tasks, PlanTask(no=task_data["no"]))
                task_en = english["tasks"][str(task.no)]
                _set(task, title=task_data["title"], text=task_data["text"],
                     title_en=task_en["title"], text_en=task_en["text"])
                _set_lead_units(task, [units[name] for name in task_data["lead_units"]])
    return plan


def _append(collection: list, record):
    collection.append(record)  # through the parent, so the new row joins the session with it
    return record


def _set_lead_units(task: PlanTask, wanted: list[Unit]) -> None:
    if task.id is not None and task.lead_units == wanted:
        return
    if task.id is None or any(unit.id is None for unit in wanted):
        db.session.flush()
    db.session.execute(plan_task_lead_units.delete().where(plan_task_lead_units.c.task_id == task.id))
    db.session.execute(plan_task_lead_units.insert(), [
        {"task_id": task.id, "unit_id": unit.id, "position": position}
        for position, unit in enumerate(wanted)
    ])
    db.session.expire(task, ["lead_units"])


def seed_reference() -> None:
    from council.districts.operations import profile_data, seed_profile

    seed_profile(profile_data("zhoucun"))  # the district itself: council/data/districts/zhoucun.yaml
    english = load_data("plan_en.json")
    councils = seed_councils(english["councils"])
    seed_plan()
    db.session.flush()
    seed_offices(councils)
    db.session.flush()
    from council.indicators.operations import seed_indicators

    seed_indicators()  # the plan's targets, on the plan version just loaded
    db.session.flush()
