"""The district's action plan as a file: written out as JSON (``council/static/schemas/plan.schema.json``) or as an
XLSX sheet of its tasks, and read back from JSON, XLSX, YAML or the official document's text, to be previewed.

A document is plain data in the shape of the schema. Reading checks it against the schema's own rules (the small
reader below knows the keywords the schema uses) and refuses a file with every problem listed. The preview then
says what the file holds and what would not fit: duplicate task numbers, empty text, lead units no unit is called.
Nothing here changes the database; council/plan/operations.py applies a document as a new version of the plan."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from council.errors import DomainError
from council.exports import Table, xlsx_bytes
from council.extensions import db
from council.plan.models import Plan
from council.plan.source import parse_plan_text
from council.text import decode_file
from council.units.models import Unit

SCHEMA_PATH = "static/schemas/plan.schema.json"
LEAD_UNIT_SEPARATOR = "、"
FORMATS = (".json", ".xlsx", ".txt", ".yaml", ".yml")

# The columns of the sheet, in order. A sheet is read with these headers in Chinese or in English.
COLUMNS = {
    "area_no": _l("Area no."),
    "area": _l("Area"),
    "action_no": _l("Action no."),
    "action": _l("Plan action"),
    "task_no": _l("Task no."),
    "title": _l("Task"),
    "text": _l("Task text"),
    "title_en": _l("Task (English)"),
    "text_en": _l("Task text (English)"),
    "lead_units": _l("Lead units"),
    "targets": _l("Targets"),
}
REQUIRED_COLUMNS = ("area_no", "area", "action_no", "action", "task_no", "title", "text", "lead_units")
WHOLE_NUMBER_COLUMNS = ("area_no", "action_no", "task_no")


class PlanFileError(DomainError):
    """A file that is not a plan document; ``problems`` lists everything wrong with it, each in words."""

    status = 400

    def __init__(self, problems: list[str]):
        super().__init__("\n".join([_("This file is not a plan we can read:"), *(f"- {p}" for p in problems)]))
        self.problems = problems


# --- the current plan as a document ----------------------------------------------------------------------

def plan_document(plan: Plan) -> dict:
    """The plan as data: its areas, actions and tasks, each task with its lead units' Chinese names (in the plan's
    order) and its targets (the active indicators of the task, as stored)."""
    from council.indicators.models import Indicator

    targets: dict[int, list[dict]] = {}
    for indicator in db.session.scalars(select(Indicator).where(Indicator.plan_id == plan.id,
                                                                Indicator.active.is_(True))
                                        .order_by(Indicator.position)):
        targets.setdefault(indicator.task_id, []).append({
            "code": indicator.code, "name": indicator.name, "name_en": indicator.name_en,
            "comparison": indicator.comparison.value, "target": indicator.target, "unit": indicator.unit,
            "unit_en": indicator.unit_en, "deadline": indicator.deadline,
        })
    return {
        "code": plan.code, "version": plan.version, "title": plan.title, "title_en": plan.title_en,
        "document_no": plan.document_no, "issued_on": plan.issued_on.isoformat(),
        "areas": [{
            "no": area.no, "name": area.name, "name_en": area.name_en,
            "actions": [{
                "no": action.no, "name": action.name, "name_en": action.name_en,
                "tasks": [{
                    "no": task.no, "title": task.title, "title_en": task.title_en,
                    "text": task.text, "text_en": task.text_en,
                    "lead_units": [unit.name for unit in task.lead_units],
                    "targets": targets.get(task.id, []),
                } for task in action.tasks],
            } for action in area.actions],
        } for area in plan.areas],
    }


def document_json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def tasks_of(document: dict) -> list[tuple[dict, dict, dict]]:
    """(area, action, task) for every task, in the document's order."""
    return [(area, action, task) for area in document["areas"] for action in area["actions"]
            for task in action["tasks"]]


def target_line(target: dict) -> str:
    """One target in words: “每千人口3岁以下婴幼儿托位数: at least 4.5 个/千人 by 2025”."""
    from council.indicators.models import Comparison
    from council.indicators.operations import format_number

    comparison = Comparison(target["comparison"])
    value = "" if comparison is Comparison.milestone else f" {format_number(target['target'])} {target['unit']}"
    return _("%(name)s: %(comparison)s%(value)s by %(year)s", name=target["name"],
             comparison=str(comparison.label), value=value.rstrip(), year=target["deadline"])


def plan_workbook(plan: Plan) -> bytes:
    """The plan's tasks as one XLSX sheet, written (and guarded) by council/exports.py."""
    rows = [[area["no"], area["name"], action["no"], action["name"], task["no"], task["title"], task["text"],
             task["title_en"], task["text_en"], LEAD_UNIT_SEPARATOR.join(task["lead_units"]),
             "\n".join(target_line(t) for t in task["targets"])]
            for area, action, task in tasks_of(plan_document(plan))]
    return xlsx_bytes(Table(header=[str(label) for label in COLUMNS.values()], rows=rows, title=_("Plan tasks")))


# --- the schema's rules ----------------------------------------------------------------------------------

# The keywords the reader below understands; tests/plan/test_plan_files.py checks the schema uses no other.
KEYWORDS = {"$schema", "$id", "title", "description", "type", "required", "additionalProperties", "properties",
            "$defs", "$ref", "items", "minItems", "minLength", "maxLength", "minimum", "pattern", "enum"}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool)
    or isinstance(v, float) and v.is_integer(),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}
TYPE_WORDS = {"string": _l("a text"), "integer": _l("a whole number"), "number": _l("a number"),
              "array": _l("a list"), "object": _l("an object"), "null": _l("nothing (null)")}


@cache
def plan_schema() -> dict:
    return json.loads(resources.files("council").joinpath(SCHEMA_PATH).read_text(encoding="utf-8"))


def schema_problems(value, schema: dict | None = None, path: str = "") -> list[str]:
    """Everything in ``value`` that breaks the plan schema's rules, each in words with where it is."""
    root = plan_schema()
    schema = root if schema is None else schema
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    where = path or _("the document")
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(TYPES[t](value) for t in types):
            return [_("%(where)s: expected %(kind)s.", where=where, kind=" / ".join(str(TYPE_WORDS[t]) for t in types))]
    if value is None:
        return []
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(_("%(where)s: must be one of %(values)s.", where=where, values=", ".join(schema["enum"])))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(_("%(where)s: is empty.", where=where))
        if len(value) > schema.get("maxLength", len(value)):
            problems.append(_("%(where)s: is longer than %(n)s characters.", where=where, n=schema["maxLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(_("%(where)s: “%(value)s” is not written as expected.", where=where, value=value[:40]))
    if TYPES["number"](value) and value < schema.get("minimum", value):
        problems.append(_("%(where)s: is smaller than %(n)s.", where=where, n=schema["minimum"]))
    if isinstance(value, dict):
        problems += [_("%(where)s: “%(key)s” is missing.", where=where, key=key)
                     for key in schema.get("required", ()) if key not in value]
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                problems += schema_problems(item, properties[key], f"{path}.{key}" if path else key)
            elif schema.get("additionalProperties") is False:
                problems.append(_("%(where)s: “%(key)s” is not expected here.", where=where, key=key))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(_("%(where)s: is empty.", where=where))
        if "items" in schema:
            for index, item in enumerate(value):
                problems += schema_problems(item, schema["items"], f"{path}[{index}]")
    return problems


# --- reading a file --------------------------------------------------------------------------------------

def read_plan(name: str, data: bytes) -> dict:
    """The plan document in a file, by its extension: .json, .xlsx, .txt (the official document's text) or
    .yaml / .yml. Refuses a file that is not one, with every problem listed."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise PlanFileError([_("“%(name)s” is not a plan file: use .json, .xlsx, .txt or .yaml.", name=name)])
    if not data.strip():
        raise PlanFileError([_("The file is empty.")])
    if extension == ".xlsx":
        document = _read_sheet(data)
    elif extension == ".txt":
        document = _read_text(_decode(data))
    else:
        document = _read_json(_decode(data)) if extension == ".json" else _read_yaml(_decode(data))
    problems = schema_problems(document)
    if problems:
        raise PlanFileError(problems)
    return document


def _decode(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark, or GB18030 as Chinese Windows saves text."""
    try:
        return decode_file(data)
    except UnicodeDecodeError as error:
        raise PlanFileError([_("We could not read the letters in this file. Save it as UTF-8 or GB18030.")]) \
            from error


def _read_json(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFileError([_("This is not JSON: %(error)s (line %(line)s).", error=error.msg,
                               line=error.lineno)]) from error


def _read_yaml(text: str) -> dict:
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PlanFileError([_("This is not YAML: %(error)s", error=str(error).splitlines()[0])]) from error
    if isinstance(document, dict) and isinstance(document.get("issued_on"), date):
        document["issued_on"] = document["issued_on"].isoformat()  # YAML reads 2023-03-28 as a date
    return document


ISSUED_ON = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
DOCUMENT_NO = re.compile(r"^\S+〔\d{4}〕\d+号$")
QUOTED_TITLE = re.compile(r"《(.+?)》")


def _read_text(text: str) -> dict:
    """The official document's text, as ``council/data/zhoucun-2023-8.txt`` holds it: the tasks of section 二
    (council/plan/source.py) and, where the text has them, its number, date and the plan's title. The text has no
    code or version and no English."""
    try:
        areas = parse_plan_text(text)["areas"]
    except (ValueError, IndexError) as error:
        message = str(error) if str(error).startswith("unexpected line") else "二、重点任务 … 三、工作要求"
        raise PlanFileError([_("The text is not the plan's official text: %(detail)s", detail=message)]) from error
    lines = [line.strip() for line in text.splitlines()]
    issued = next((m for line in lines if (m := ISSUED_ON.match(line))), None)
    title = next((m[1] for line in lines if (m := QUOTED_TITLE.search(line))), None)
    return {
        "code": None, "version": None, "title": title, "title_en": None,
        "document_no": next((line for line in lines if DOCUMENT_NO.match(line)), None),
        "issued_on": date(*map(int, issued.groups())).isoformat() if issued else None,
        "areas": [{
            "no": area["no"], "name": area["name"], "name_en": None,
            "actions": [{
                "no": action["no"], "name": action["name"], "name_en": None,
                "tasks": [{"no": task["no"], "title": task["title"], "title_en": None, "text": task["text"],
                           "text_en": None, "lead_units": task["lead_units"], "targets": []}
                          for task in action["tasks"]],
            } for action in area["actions"]],
        } for area in areas],
    }


def _header_key(value) -> str:
    return re.sub(r"\s", "", str(value or "")).lstrip("\ufeff").lower()


def _columns() -> dict[str, str]:
    """Each column's header in Chinese and in English → the column."""
    found = {}
    for locale in ("zh_Hans_CN", "en"):
        with force_locale(locale):
            found |= {_header_key(str(label)): key for key, label in COLUMNS.items()}
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(data: bytes) -> dict:
    """The sheet ``plan_workbook`` writes: a row a task. The targets column is for reading; a sheet brings no
    targets, and neither the plan's code, version, title nor the English names of areas and actions."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanFileError([_("This Excel file could not be opened. Save it again as .xlsx.")]) from error
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    known = _columns()
    header = {known[_header_key(value)]: index for index, value in enumerate(rows[0] if rows else [])
              if _header_key(value) in known}
    missing = [str(COLUMNS[key]) for key in REQUIRED_COLUMNS if key not in header]
    if missing:
        raise PlanFileError([_("The sheet has no column “%(column)s”.", column=column) for column in missing])
    problems: list[str] = []
    areas: dict[int, dict] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {key: _cell(row[index]) if index < len(row) else "" for key, index in header.items()}
        if not any(cells.values()):
            continue
        numbers = {}
        for key in WHOLE_NUMBER_COLUMNS:
            if not cells[key].isdigit():
                problems.append(_("Row %(row)s: “%(column)s” is not a whole number.", row=line,
                                  column=str(COLUMNS[key])))
            numbers[key] = int(cells[key]) if cells[key].isdigit() else 0
        area = areas.setdefault(numbers["area_no"], {"no": numbers["area_no"], "name": cells["area"],
                                                     "name_en": None, "actions": []})
        action = next((a for a in area["actions"] if a["no"] == numbers["action_no"]), None)
        if action is None:
            action = {"no": numbers["action_no"], "name": cells["action"], "name_en": None, "tasks": []}
            area["actions"].append(action)
        for key, named in (("area", area), ("action", action)):
            if cells[key] != named["name"]:
                problems.append(_("Row %(row)s: “%(name)s” differs from the name given above (“%(above)s”).",
                                  row=line, name=cells[key], above=named["name"]))
        action["tasks"].append({
            "no": numbers["task_no"], "title": cells["title"], "title_en": cells.get("title_en") or None,
            "text": cells["text"], "text_en": cells.get("text_en") or None,
            "lead_units": [n.strip() for n in cells["lead_units"].split(LEAD_UNIT_SEPARATOR) if n.strip()],
            "targets": [],
        })
    if problems:
        raise PlanFileError(problems)
    return {"code": None, "version": None, "title": None, "title_en": None, "document_no": None,
            "issued_on": None, "areas": list(areas.values())}


# --- the preview -----------------------------------------------------------------------------------------

@dataclass
class PreviewTask:
    no: int
    title: str
    area_no: int
    action_no: int
    lead_units: list[Unit]  # the units the file names, found by their exact Chinese name
    unknown_units: list[str]  # names no unit has: never guessed
    targets: list[str]  # each target in words


@dataclass
class Preview:
    document: dict
    areas: int
    actions: int
    tasks: list[PreviewTask] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return len(self.tasks)


def preview(document: dict) -> Preview:
    """What a plan document holds, its lead units found among the units there are, and what does not fit."""
    names = {name for _area, _action, task in tasks_of(document) for name in task["lead_units"]}
    units = {u.name: u for u in db.session.scalars(select(Unit).where(Unit.name.in_(names)))} if names else {}
    result = Preview(document, areas=len(document["areas"]),
                     actions=sum(len(area["actions"]) for area in document["areas"]))
    seen: set[int] = set()
    codes: set[str] = set()
    for area, action, task in tasks_of(document):
        no = task["no"]
        unknown = [name for name in task["lead_units"] if name not in units]
        result.tasks.append(PreviewTask(no=no, title=task["title"], area_no=area["no"], action_no=action["no"],
                                        lead_units=[units[n] for n in task["lead_units"] if n in units],
                                        unknown_units=unknown,
                                        targets=[target_line(t) for t in task.get("targets", [])]))
        if no in seen:
            result.problems.append(_("Task %(no)s appears more than once.", no=no))
        seen.add(no)
        if not task["title"].strip():
            result.problems.append(_("Task %(no)s has no title.", no=no))
        if not task["text"].strip():
            result.problems.append(_("Task %(no)s has no text.", no=no))
        if not task["lead_units"]:
            result.problems.append(_("Task %(no)s names no lead unit.", no=no))
        result.problems += [_("Task %(no)s: no unit is called “%(name)s”.", no=no, name=name) for name in unknown]
        for target in task.get("targets") or []:
            if target["code"] in codes:
                result.problems.append(_("Task %(no)s: the target code “%(code)s” appears more than once.", no=no,
                                         code=target["code"]))
            codes.add(target["code"])
    return result
