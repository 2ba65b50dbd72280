"""Reading the office's setup files: councils, units and adults, as CSV (UTF-8 with or without BOM, or GB18030 as
Chinese Excel saves it) or XLSX, with Chinese or English column names. Each row keeps its values, read and
normalised, and the problems found in the row itself; what the row means against the platform (new, changed,
unknown town …) is council/setup/operations.py's.

Problems are stored as codes with values and put into words when shown, in the reader's language."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from council import tables
from council.councils.models import CouncilKind
from council.db import LabeledEnum
from council.errors import DomainError
from council.forms import FIRST_DAY, LAST_DAY
from council.text import clean
from council.units.models import UnitKind

MAX_ROWS = 2000


class AdultRole(LabeledEnum):
    """What an adult of the adults' file does on the platform."""

    facilitator = "facilitator", _l("Facilitator")
    teacher = "teacher", _l("Teacher")
    staff = "staff", _l("Unit staff")
    office = "office", _l("Coordinating office")


def key(text) -> str:
    """A column name or a word as it is compared: without spaces, punctuation and case."""
    return re.sub(r"[\s_\-*:：（）()/、·.]", "", str(text or "")).lstrip("\ufeff").lower()


# The columns of each kind of file: what the template writes first, then every name also understood.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "councils": {
        "name": ("名称", "议事会名称", "名字", "社区学校名称", "name", "councilname"),
        "kind": ("类型", "类别", "kind", "type"),
        "town": ("所属镇街", "所属街道镇", "所属镇街道", "所属街镇", "镇街", "街道镇", "所属街道", "所属镇",
                 "town", "street", "townorstreet", "townstreet", "parent"),
        "area": ("地址区域", "区域", "地址", "所在区域", "area", "address", "addressarea"),
        "name_en": ("英文名称", "英文名", "nameinenglish", "englishname", "nameen"),
    },
    "units": {
        "name": ("单位名称", "名称", "中文名称", "单位", "name", "nameinchinese", "chinesename", "unitname"),
        "name_en": ("英文名称", "英文名", "nameinenglish", "englishname", "nameen"),
        "kind": ("类型", "单位类型", "类别", "kind", "type"),
        "group": ("所属工作组", "上级工作组", "所属组", "工作组", "parentgroup", "group"),
        "contact": ("联系人", "联系方式", "联系人及电话", "contact"),
    },
    "adults": {
        "name": ("姓名", "名字", "name", "fullname"),
        "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile", "telephone", "tel"),
        "email": ("邮箱", "电子邮箱", "电子邮件", "email", "mail"),
        "role": ("角色", "身份", "role"),
        "council": ("议事会", "所属议事会", "council"),
        "unit": ("单位", "所属单位", "unit"),
        "starts_on": ("任期开始", "开始日期", "任期起", "起始日期", "termstart", "start", "startdate", "from"),
        "ends_on": ("任期结束", "结束日期", "任期止", "termend", "end", "enddate", "until", "to"),
    },
}
REQUIRED = {"councils": ("name", "kind", "town"), "units": ("name", "name_en", "kind"), "adults": ("name", "role")}
LENGTHS = {"name": 120, "name_en": 200, "area": 120, "contact": 200, "town": 120, "group": 120, "council": 120,
           "unit": 120}
ADULT_NAME_MAX = 64  # an account's display name

# The words accepted for each kind, role and unit kind (compared by ``key``), Chinese first.
COUNCIL_KINDS = {
    CouncilKind.community: ("社区", "社区儿童议事会", "community"),
    CouncilKind.village: ("村", "行政村", "村儿童议事会", "village"),
    CouncilKind.school: ("学校", "小学", "中学", "初中", "学校儿童议事会", "school"),
    CouncilKind.kindergarten: ("幼儿园", "kindergarten"),
}
# Street offices and town governments are both the ``office`` kind: a single body that answers its own council's
# ideas (council/units/models.py), as the seeded offices of the 9 streets and towns are.
UNIT_KINDS = {
    UnitKind.department: ("部门", "区直部门", "department"),
    UnitKind.office: ("街道办事处", "街道办", "镇政府", "镇人民政府", "街道办事处镇政府", "streetoffice",
                      "subdistrictoffice", "towngovernment", "office"),
    UnitKind.group: ("工作组", "领导小组", "工作组领导小组", "group", "workinggroup", "leadinggroup"),
    UnitKind.mechanism: ("协调机制", "机制", "coordinationmechanism", "mechanism"),
}
ROLES = {
    AdultRole.facilitator: ("辅导员", "儿童主任", "facilitator"),
    AdultRole.teacher: ("教师", "老师", "指导老师", "teacher"),
    AdultRole.staff: ("单位工作人员", "工作人员", "unitstaff", "staff"),
    AdultRole.office: ("妇儿工委办公室", "妇儿工委办", "办公室", "office", "coordinator", "coordinatingoffice"),
}


def _lookup(words: dict) -> dict[str, str]:
    return {key(word): member.value for member, names in words.items() for word in names}


KIND_WORDS = {"councils": _lookup(COUNCIL_KINDS), "units": _lookup(UNIT_KINDS)}
ROLE_WORDS = _lookup(ROLES)

FIELD_LABELS = {
    "name": _l("Name"), "name_en": _l("Name in English"), "kind": _l("Kind"), "town": _l("Town or street"),
    "area": _l("Address area"), "group": _l("Group"), "contact": _l("Contact"), "phone": _l("Phone"),
    "email": _l("E-mail"), "role": _l("Role"), "council": _l("Council"), "unit": _l("Unit"),
    "starts_on": _l("Term start"), "ends_on": _l("Term end"),
}

PROBLEMS = {
    "missing": _l("“%(column)s” is empty."),
    "too_long": _l("“%(column)s” is longer than %(n)s characters."),
    "council_kind": _l("“%(value)s” is not a kind of council. Write 社区, 村, 学校 or 幼儿园 (community, village, "
                       "school, kindergarten)."),
    "unit_kind": _l("“%(value)s” is not a kind of unit. Write 部门, 街道办事处, 镇政府, 工作组 or 协调机制 "
                    "(department, street office, town government, group, coordination mechanism)."),
    "role": _l("“%(value)s” is not a role. Write 辅导员, 教师, 单位工作人员 or 妇儿工委办公室 (facilitator, teacher, "
               "unit staff, office)."),
    "phone": _l("“%(value)s” is not a phone number: a mobile number has 11 digits and starts with 1, a landline "
                "starts with its area code, like 0533-6412345."),
    "email": _l("“%(value)s” is not an e-mail address."),
    "no_contact": _l("Give a phone number or an e-mail address."),
    "date": _l("“%(value)s” in “%(column)s” is not a date. Write it like 2026-09-01."),
    "end_before_start": _l("The term ends before it starts."),
    "duplicate": _l("The same name is already on row %(line)s."),
    "duplicate_person": _l("The same phone number or e-mail is already on row %(line)s: one row per person."),
    "unknown_town": _l("No town or street council is called “%(value)s”."),
    "other_tier": _l("“%(value)s” is the name of a council of another tier already."),
    "unknown_group": _l("No group of authorities is called “%(value)s”, in this file or on the platform."),
    "own_group": _l("A unit cannot be in its own group."),
    "unknown_council": _l("No council is called “%(value)s”, in the councils' file or on the platform."),
    "unknown_unit": _l("No unit is called “%(value)s”, in the units' file or on the platform."),
    "not_routable": _l("“%(value)s” is a group or a coordination mechanism: staff work for one of its departments."),
    "two_accounts": _l("The phone number and the e-mail address belong to two different accounts."),
    "child_account": _l("This phone number or e-mail address belongs to a child's account."),
    "role_overlaps": _l("This person holds this role here already for some of these dates, from another start day. "
                        "End that term first."),
}
# The problems a row has in itself, found while reading; the others are found against the platform (operations).
READING = frozenset({"missing", "too_long", "council_kind", "unit_kind", "role", "phone", "email", "no_contact",
                     "date", "end_before_start"})


def problem_text(code: str, values: dict) -> str:
    values = dict(values)
    if "column" in values:
        values["column"] = str(FIELD_LABELS[values["column"]])
    return str(PROBLEMS[code]) % values if values else str(PROBLEMS[code])


# --- the file's cells ------------------------------------------------------------------------------------

def read_table(data: bytes) -> list[list]:
    """The cells of the file, row by row, whatever its format; rows with nothing in them left out."""
    return [row for row in tables.read_table(data, max_rows=MAX_ROWS) if any(_text(cell) for cell in row)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return clean(str(value)).strip()


# --- values ----------------------------------------------------------------------------------------------

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}")  # area code (3–4 digits with its 0) and a 7–8 digit number
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def phone(text: str) -> str | None:
    """The number as digits only (``0533-641 2345`` → ``05336412345``), or None when it is not a phone number."""
    digits = re.sub(r"[\s\-–—()（）]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return digits
    return None


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", _text(value))
    if not found:
        return None
    try:
        day = date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _columns(kind: str, header: list) -> dict[str, int]:
    names = {field: {key(name) for name in names} for field, names in COLUMNS[kind].items()}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for field, accepted in names.items():
            if key(cell) in accepted and field not in found:
                found[field] = index
                break
    return found


def _header_message(kind: str) -> str:
    if kind == "councils":
        return _("The first row of the councils' file must name its columns: 名称 (name), 类型 (kind), 所属镇街 "
                 "(town or street), and 地址区域 (address area) if you have it. Download the template.")
    if kind == "units":
        return _("The first row of the units' file must name its columns: 单位名称 (name), 英文名称 (name in "
                 "English), 类型 (kind), and 所属工作组 (group) and 联系人 (contact) if you have them. Download the "
                 "template.")
    return _("The first row of the adults' file must name its columns: 姓名 (name), 手机 (phone) or 邮箱 (e-mail), "
             "角色 (role), 议事会 (council) or 单位 (unit), 任期开始 (term start) and 任期结束 (term end). Download "
             "the template.")


def read_file(kind: str, data: bytes) -> list[dict]:
    """The rows of one file of ``kind`` (councils, units or adults): {"line", "values", "problems"}. Raises a
    DomainError, in words for the office, when the file as a whole cannot be read."""
    table = read_table(data)
    if not table:
        raise DomainError(_("The file is empty."))
    columns = _columns(kind, table[0])
    contact = kind != "adults" or {"phone", "email"} & set(columns)
    if not set(REQUIRED[kind]) <= set(columns) or not contact:
        raise DomainError(_header_message(kind))
    body = table[1:]
    if not body:
        raise DomainError(_("The file has column names but no rows."))
    if len(body) > MAX_ROWS:
        raise DomainError(_("A file may have at most %(n)s rows. Split it into smaller files.", n=MAX_ROWS))
    rows = []
    for line, cells in enumerate(body, start=2):
        raw = {field: (cells[i] if i < len(cells) else None) for field, i in columns.items()}
        rows.append(_READERS[kind](line, raw))
    return rows


def _strings(raw: dict, fields: tuple[str, ...], problems: list, lengths: dict | None = None) -> dict:
    values = {}
    for field in fields:
        text = _text(raw.get(field))
        limit = (lengths or LENGTHS).get(field)
        if limit and len(text) > limit:
            problems.append(("too_long", {"column": field, "n": limit}))
            text = text[:limit]
        values[field] = text or None
    return values


def _missing(values: dict, fields: tuple[str, ...], problems: list) -> None:
    problems += [("missing", {"column": field}) for field in fields if not values.get(field)]


def _row(line: int, values: dict, problems: list) -> dict:
    return {"line": line, "values": values, "problems": [[code, found] for code, found in problems]}


def _kind(kind: str, values: dict, problems: list) -> None:
    text = values.pop("kind")
    values["kind_text"] = text
    values["kind"] = KIND_WORDS[kind].get(key(text)) if text else None
    if text and values["kind"] is None:
        problems.append(("council_kind" if kind == "councils" else "unit_kind", {"value": text[:40]}))


def _council_row(line: int, raw: dict) -> dict:
    problems: list = []
    values = _strings(raw, ("name", "name_en", "kind", "town", "area"), problems)
    _missing(values, ("name", "kind", "town"), problems)
    _kind("councils", values, problems)
    return _row(line, values, problems)


def _unit_row(line: int, raw: dict) -> dict:
    problems: list = []
    values = _strings(raw, ("name", "name_en", "kind", "group", "contact"), problems)
    _missing(values, ("name", "name_en", "kind"), problems)
    _kind("units", values, problems)
    return _row(line, values, problems)


def _adult_row(line: int, raw: dict) -> dict:
    problems: list = []
    values = _strings(raw, ("name", "role", "council", "unit"), problems, LENGTHS | {"name": ADULT_NAME_MAX})
    _missing(values, ("name", "role"), problems)
    role_text = values.pop("role")
    values["role_text"] = role_text
    values["role"] = ROLE_WORDS.get(key(role_text)) if role_text else None
    if role_text and values["role"] is None:
        problems.append(("role", {"value": role_text[:40]}))
    phone_text, email_text = _text(raw.get("phone")), _text(raw.get("email"))
    values["phone"] = phone(phone_text) if phone_text else None
    if phone_text and values["phone"] is None:
        values["phone_text"] = phone_text[:40]  # shown in its row as written
        problems.append(("phone", {"value": phone_text[:40]}))
    values["email"] = email_text.lower() if email_text else None
    if email_text and (len(email_text) > 254 or not EMAIL.fullmatch(email_text)):
        problems.append(("email", {"value": email_text[:60]}))
    if not phone_text and not email_text:
        problems.append(("no_contact", {}))
    for field in ("starts_on", "ends_on"):
        cell = raw.get(field)
        day = _date(cell)
        values[field] = day.isoformat() if day else None
        if day is None and _text(cell):
            problems.append(("date", {"column": field, "value": _text(cell)[:40]}))
    role = values["role"]
    if role in (AdultRole.facilitator, AdultRole.teacher) and not values["council"]:
        problems.append(("missing", {"column": "council"}))
    if role == AdultRole.staff and not values["unit"]:
        problems.append(("missing", {"column": "unit"}))
    if role not in (None, AdultRole.office) and not values["starts_on"] and not _text(raw.get("starts_on")):
        problems.append(("missing", {"column": "starts_on"}))
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        problems.append(("end_before_start", {}))
    return _row(line, values, problems)


_READERS = {"councils": _council_row, "units": _unit_row, "adults": _adult_row}
