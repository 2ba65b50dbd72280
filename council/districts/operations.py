"""Setting up the district an installation serves, from one file (council/static/schemas/district.schema.json):
its profile, its district council with its towns and streets (and their governments), its responsible units, the
office's first coordinator and its action plan. Only on an empty database, all or nothing: every problem of the
file is listed before anything is created. The seed loads Zhoucun's profile from council/data/districts/ the same
way (``seed_profile``). Rules only: no request, no commit (the command is council/districts/cli.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import func, select

from council.calendar.clock import DEFAULT_ZONE
from council.councils.models import Council, CouncilKind
from council.districts import forget
from council.districts.models import FIELDS, DistrictProfile
from council.errors import DomainError
from council.extensions import db
from council.plan.files import PlanFileError, tasks_of
from council.plan.models import Plan
from council.units.models import Unit, UnitKind

SCHEMA_PATH = "static/schemas/district.schema.json"
FORMATS = (".yaml", ".yml", ".json")
PLAN_FORMATS = (".json", ".yaml", ".yml", ".xlsx", ".txt")


class DistrictFileError(DomainError):
    """A district file that cannot set the platform up; ``problems`` lists everything wrong with it, each in words."""

    status = 400

    def __init__(self, problems: list[str]):
        super().__init__("\n".join([_("This district file cannot be used:"), *(f"- {p}" for p in problems)]))
        self.problems = problems


class NotEmpty(DomainError):
    """The database already holds a district: setting one up again would mix two."""


@dataclass
class SetUp:
    """What ``set_up`` created, for the command to print."""

    profile: DistrictProfile
    councils: list[Council] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    plan: Plan | None = None
    tasks: int = 0
    coordinator: object = None
    link: str = ""


@cache
def district_schema() -> dict:
    return json.loads(resources.files("council").joinpath(SCHEMA_PATH).read_text(encoding="utf-8"))


def _schema_problems(value, schema: dict, where: str = "") -> list[str]:
    """The plan file's schema reader (council/plan/files.py), on the district schema (which uses no ``$ref``)."""
    from council.plan.files import schema_problems

    return schema_problems(value, schema, where)


def profile_problems(values: dict) -> list[str]:
    """What is wrong with a profile (the ``district`` part of a district file)."""
    problems = _schema_problems(values, district_schema()["properties"]["district"], "district")
    zone = values.get("time_zone") if isinstance(values, dict) else None
    if isinstance(zone, str):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(_("district.time_zone: “%(zone)s” is not a time zone (write it as Asia/Shanghai).",
                              zone=zone[:64]))
    return problems


# --- reading a file --------------------------------------------------------------------------------------

def read_district(name: str, data: bytes) -> dict:
    """The district document in a YAML or JSON file, checked against the schema; refused with every problem."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise DistrictFileError([_("“%(name)s” is not a district file: use .yaml or .json.", name=name)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DistrictFileError([_("We could not read the letters in this file. Save it as UTF-8.")]) from error
    if extension == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise DistrictFileError([_("This is not JSON: %(error)s (line %(line)s).", error=error.msg,
                                       line=error.lineno)]) from error
    else:
        import yaml

        try:
            document = yaml.load(text, Loader=_loader())  # a SafeLoader (_loader)
        except yaml.YAMLError as error:
            raise DistrictFileError([_("This is not YAML: %(error)s", error=str(error).splitlines()[0])]) from error
    problems = _schema_problems(document, district_schema())
    if isinstance(document, dict) and isinstance(document.get("district"), dict):
        problems += [p for p in profile_problems(document["district"]) if p not in problems]
    if problems:
        raise DistrictFileError(problems)
    return document


@cache
def _loader():
    """YAML's safe loader, except that only true and false are booleans: YAML 1.1 reads a key ``no:`` (a plan's
    area, action and task numbers) as false, and ``yes``/``on``/``off`` too."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile("^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return Loader


def plan_of(document: dict, base: Path) -> dict:
    """The plan a district file names: its inline document, or the plan file at a path relative to ``base`` (the
    district file's folder), read by council/plan/files.py."""
    from council.plan.files import read_plan, schema_problems

    plan = document["plan"]
    if isinstance(plan, dict):
        if isinstance(plan.get("issued_on"), date):
            plan = plan | {"issued_on": plan["issued_on"].isoformat()}  # YAML reads 2023-03-28 as a date
        problems = schema_problems(plan)
        if problems:
            raise DistrictFileError([f"plan: {p}" for p in problems])
        return plan
    path = (base / plan).resolve()
    if path.suffix.lower() not in PLAN_FORMATS:
        raise DistrictFileError([_("plan: “%(name)s” is not a plan file: use .json, .xlsx, .txt or .yaml.",
                                   name=plan)])
    if not path.is_file():
        raise DistrictFileError([_("plan: there is no file %(path)s.", path=path)])
    try:
        return read_plan(path.name, path.read_bytes())
    except PlanFileError as error:
        raise DistrictFileError([f"plan: {p}" for p in error.problems]) from error


# --- the checks before anything is created ----------------------------------------------------------------

def is_empty() -> bool:
    """No district yet: no council, no plan, no profile."""
    return not any(db.session.scalar(select(func.count()).select_from(model)) for model in
                   (Council, Plan, DistrictProfile))


def content_problems(document: dict, plan: dict) -> list[str]:
    """What the file holds that could not be created: names used twice, group members and lead units that are no
    unit of the file, a coordinator's username twice. The schema has checked the shapes already."""
    problems = []
    codes = [document["council"]["code"]] + [town["code"] for town in document["towns"]]
    problems += [_("The council code %(code)s is used twice.", code=code)
                 for code in sorted({c for c in codes if codes.count(c) > 1})]
    towns = [town["name"] for town in document["towns"]]
    problems += [_("The town or street %(name)s is listed twice.", name=name)
                 for name in sorted({n for n in towns if towns.count(n) > 1})]
    offices = [town["office"]["name"] for town in document["towns"] if town.get("office")]
    names = [unit["name"] for unit in document["units"]] + offices
    problems += [_("The unit %(name)s is listed twice.", name=name)
                 for name in sorted({n for n in names if names.count(n) > 1})]
    for unit in document["units"]:
        for member in unit.get("members") or ():
            if member not in names:
                problems.append(_("The group %(group)s names %(member)s, which is no unit of the file.",
                                  group=unit["name"], member=member))
        if unit.get("members") and unit["kind"] != UnitKind.group.value:
            problems.append(_("Only a group of authorities has members: %(name)s is not one.", name=unit["name"]))
    for _area, _action, task in tasks_of(plan):
        for lead in task["lead_units"]:
            if lead not in names:
                problems.append(_("Task %(no)s: the lead unit %(name)s is no unit of the file.", no=task["no"],
                                  name=lead))
    return problems


# --- setting the district up ------------------------------------------------------------------------------

def set_up(document: dict, *, base: Path) -> SetUp:
    """Create the district of ``document`` (as ``read_district`` returns it) on an empty database: profile, councils,
    units, coordinator with a one-time set-password link, plan. Refuses, creating nothing, when the database already
    holds a district or the file has problems (all of them listed)."""
    from council.accounts import operations as accounts
    from council.accounts.models import SystemRole
    from council.accounts.welcome import issue_link
    from council.audit.operations import record
    from council.councils.operations import create_council
    from council.plan.operations import apply_document

    if not is_empty():
        raise NotEmpty(_("This database already holds a district (councils or a plan): a district is set up only "
                         "on an empty database. Nothing was changed."))
    plan_document = plan_of(document, base)
    problems = content_problems(document, plan_document)
    if problems:
        raise DistrictFileError(problems)

    values = document["district"]
    profile = DistrictProfile(**{name: values.get(name) for name in FIELDS})
    profile.time_zone = values.get("time_zone") or DEFAULT_ZONE
    db.session.add(profile)
    done = SetUp(profile=profile)

    top = document["council"]
    district = create_council(top["code"], top["name"], CouncilKind.district, None, name_en=top.get("name_en"))
    done.councils.append(district)
    for town in document["towns"]:
        council = create_council(town["code"], town["name"], CouncilKind(town["kind"]), district,
                                 name_en=town.get("name_en"))
        done.councils.append(council)
        if town.get("office"):
            office = Unit(name=town["office"]["name"], name_en=town["office"].get("name_en"), kind=UnitKind.office,
                          tier=council.tier, council=council)
            db.session.add(office)
            done.units.append(office)
    units = {unit.name: unit for unit in done.units}
    for entry in document["units"]:
        unit = Unit(name=entry["name"], name_en=entry.get("name_en"), kind=UnitKind(entry["kind"]))
        db.session.add(unit)
        units[unit.name] = unit
        done.units.append(unit)
    for entry in document["units"]:
        if entry.get("members"):
            units[entry["name"]].members = [units[name] for name in entry["members"]]
    db.session.flush()

    person = document["coordinator"]
    # A password nobody knows: the coordinator chooses one with the one-time link.
    done.coordinator = accounts.create_adult(person["username"], None, person["display_name"],
                                             email=person.get("email"), system_role=SystemRole.coordinator)
    db.session.flush()
    try:
        done.plan = apply_document(plan_document, actor=None)
    except PlanFileError as error:
        raise DistrictFileError([f"plan: {p}" for p in error.problems]) from error
    done.tasks = len(tasks_of(plan_document))
    record("district_set_up", profile, council=district, councils=len(done.councils), units=len(done.units),
           tasks=done.tasks)
    done.link = issue_link(done.coordinator, actor=None, mail=False)
    db.session.flush()
    forget()
    return done


# --- Zhoucun's own profile, for the seed --------------------------------------------------------------------

def profile_data(code: str) -> dict:
    """The ``district`` part of the district file council/data/districts/<code>.yaml."""
    import yaml

    text = resources.files("council.data").joinpath("districts").joinpath(f"{code}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["district"]


def seed_profile(values: dict) -> DistrictProfile | None:
    """The profile row from ``values``; running it again changes nothing. A database set up for another district
    keeps its own profile."""
    problems = profile_problems(values)
    if problems:
        raise DistrictFileError(problems)
    wanted = {name: values.get(name) for name in FIELDS} | {"time_zone": values.get("time_zone") or DEFAULT_ZONE}
    row = db.session.scalar(select(DistrictProfile).order_by(DistrictProfile.id).limit(1))
    if row is not None and row.code != wanted["code"]:
        return row
    if row is None:
        row = DistrictProfile(**wanted)
        db.session.add(row)
    changed = row.id is None
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        db.session.flush()
        forget()
    return row
