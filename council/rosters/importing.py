"""Reading a class list from the file a teacher has: CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel
saves it) or XLSX. Every row is checked and keeps its problems beside it, so the preview can show them all.

Problems are stored as codes with values and put into words when shown, in the reader's language."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from council import tables
from council.calendar import clock
from council.errors import DomainError
from council.proposals.screening import FACILITATOR_REASONS, FlagKind, screen

MAX_ROWS = 200
MAX_NICKNAME = 12

HEADERS = {
    "real_name": {"姓名", "名字", "真实姓名", "学生姓名", "儿童姓名", "name", "realname", "fullname", "studentname"},
    "nickname": {"昵称", "小名", "nickname", "nick"},
    "birth_year": {"出生年份", "出生年", "出生年份年", "birthyear", "yearofbirth", "year"},
    "birth_date": {"出生日期", "生日", "出生年月", "birthdate", "dateofbirth", "birthday", "dob"},
}

PROBLEMS = {
    "name_missing": _l("The real name is missing."),
    "name_too_long": _l("The real name is longer than 64 characters."),
    "year_missing": _l("The birth year is missing."),
    "year_unreadable": _l("“%(value)s” is not a year. Write it like 2017."),
    "year_impossible": _l("Born in %(year)s: a child on the platform is between 6 and 17 years old."),
    "duplicate_in_file": _l("The same child (name and birth year) is already on row %(line)s."),
    "already_in_class": _l("This child (name and birth year) is already in this class."),
    "nickname_too_long": _l("The nickname is longer than %(n)s characters."),
    "nickname_private": _l("The nickname looks like private information (%(what)s). Choose another one."),
    "nickname_real_name": _l("The nickname looks like a real name. Nicknames are public, so choose another one."),
    "nickname_taken": _l("Another child in this class already has the nickname “%(nickname)s”."),
}

FRIENDLY = ["小太阳", "小月亮", "小星星", "小白云", "小彩虹", "小浪花", "小松鼠", "小熊猫", "小海豚", "小企鹅",
            "小白兔", "小鹿", "小蜜蜂", "小蝴蝶", "小青蛙", "小燕子", "小树苗", "小花朵", "小石榴", "小葡萄",
            "小橘子", "小草莓", "小柠檬", "小西瓜", "小雪花", "小雨点", "小贝壳", "小帆船", "小风车", "小灯笼",
            "小画笔", "小书包", "小火车", "小飞机", "小骆驼", "小斑马", "小长颈鹿", "小考拉", "小刺猬", "小海星"]

# The commonest surnames: a nickname of 3–4 Chinese characters beginning with one of them reads as a real name.
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏")


def problem_text(code: str, values: dict) -> str:
    if code == "nickname_private":
        values = {"what": FACILITATOR_REASONS[FlagKind(values["kind"])]}
    return str(PROBLEMS[code]) % values if values else str(PROBLEMS[code])


def _key(header) -> str:
    return re.sub(r"[\s_\-*:：（）()]", "", str(header or "")).lstrip("\ufeff").lower()


def read_table(filename: str, data: bytes) -> list[list]:
    """The cells of the file, row by row, whatever its format (council/tables.py)."""
    return tables.read_table(data, max_rows=MAX_ROWS)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _year(row: dict) -> tuple[int | None, tuple[str, dict] | None]:
    raw = row.get("birth_year")
    if raw in (None, "") and row.get("birth_date") not in (None, ""):
        raw = row["birth_date"]
    if isinstance(raw, datetime | date):
        return raw.year, None
    text = _text(raw)
    if not text:
        return None, ("year_missing", {})
    found = re.fullmatch(r"((?:19|20)\d\d)(?:\s*年)?(?:[-/.年]\s*\d{1,2}(?:[-/.月]\s*\d{1,2}日?)?)?", text)
    if not found:
        return None, ("year_unreadable", {"value": text[:20]})
    return int(found.group(1)), None


def looks_like_real_name(nickname: str, real_names: Iterable[str]) -> bool:
    if any(name and (name in nickname or nickname in name) for name in real_names if len(name) >= 2):
        return True
    cjk = all("\u4e00" <= ch <= "\u9fff" for ch in nickname)
    return cjk and 3 <= len(nickname) <= 4 and nickname[0] in SURNAMES


def _friendly(taken: set[str]) -> str:
    free = [n for n in FRIENDLY if n not in taken]
    if free:
        return secrets.choice(free)
    base = secrets.choice(FRIENDLY)
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def parse_roster(filename: str, data: bytes, *, existing: Iterable[tuple[str, int, str]] = (),
                 today: date | None = None) -> list[dict]:
    """Rows as dicts (line, real_name, nickname, nickname_generated, birth_year, problems).

    ``existing``: (real name, birth year, nickname) of the children already in the class."""
    table = [row for row in read_table(filename, data) if any(_text(cell) for cell in row)]
    if not table:
        raise DomainError(_("The file is empty."))
    columns: dict[str, int] = {}
    for index, header in enumerate(table[0]):
        for field, names in HEADERS.items():
            if _key(header) in names and field not in columns:
                columns[field] = index
    if "real_name" not in columns or not ({"birth_year", "birth_date"} & set(columns)):
        raise DomainError(_("The first row must name the columns: 姓名 (real name), 昵称 (nickname, may be empty) "
                            "and 出生年份 (birth year)."))
    body = table[1:]
    if not body:
        raise DomainError(_("The file has column names but no children."))
    if len(body) > MAX_ROWS:
        raise DomainError(_("A class list may have at most %(n)s children. Split the file.", n=MAX_ROWS))
    this_year = (today or clock.today()).year
    existing = list(existing)
    known = {(name, year) for name, year, _nick in existing}
    cells = [{field: (row[i] if i < len(row) else None) for field, i in columns.items()} for row in body]
    real_names = [_text(c.get("real_name")) for c in cells] + [name for name, _y, _n in existing]
    taken = {nick for _name, _year, nick in existing}
    # Nicknames the file gives itself, so a generated one never takes a later row's own choice.
    chosen = {_text(c.get("nickname")) for c in cells} - {""}
    rows, seen = [], {}
    for line, cell in enumerate(cells, start=2):
        problems: list[tuple[str, dict]] = []
        real_name = _text(cell.get("real_name"))
        if not real_name:
            problems.append(("name_missing", {}))
        elif len(real_name) > 64:
            problems.append(("name_too_long", {}))
        year, year_problem = _year(cell)
        if year_problem:
            problems.append(year_problem)
        elif not this_year - 18 <= year <= this_year - 5:
            problems.append(("year_impossible", {"year": year}))
        if real_name and year:
            if (real_name, year) in seen:
                problems.append(("duplicate_in_file", {"line": seen[(real_name, year)]}))
            elif (real_name, year) in known:
                problems.append(("already_in_class", {}))
            seen.setdefault((real_name, year), line)
        nickname = _text(cell.get("nickname"))
        generated = not nickname
        if generated:
            nickname = _friendly(taken | chosen)
        elif len(nickname) > MAX_NICKNAME:
            problems.append(("nickname_too_long", {"n": MAX_NICKNAME}))
        else:
            flags = screen(nickname)
            if flags:
                problems.append(("nickname_private", {"kind": flags[0].kind.value}))
            elif looks_like_real_name(nickname, real_names):
                problems.append(("nickname_real_name", {}))
            elif nickname in taken:
                problems.append(("nickname_taken", {"nickname": nickname}))
        taken.add(nickname)
        rows.append({"line": line, "real_name": real_name[:64], "nickname": nickname[:64],
                     "nickname_generated": generated, "birth_year": year,
                     "problems": [[code, values] for code, values in problems]})
    return rows
