"""Reads the action plan's official text into data. ``council/data/plan.json`` is made with this,
and a test checks that the shipped file still matches the shipped text."""

from __future__ import annotations

import re

AREA = re.compile(r"^（([一二三四五])）(.+)$")
ACTION = re.compile(r"^(\d+)．(.+)$")
TASK = re.compile(r"^（(\d+)）(.+)（牵头部门：(.+)）$")
CHINESE_NUMERALS = "一二三四五"


def short_title(body: str) -> str:
    """The task's heading: its first clause, up to the first full stop or comma."""
    return re.split(r"[。，]", body, maxsplit=1)[0]


def parse_plan_text(text: str) -> dict:
    """The areas, actions and tasks of section 二 (重点任务), with each task's lead departments as named."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("二、重点任务")
    end = lines.index("三、工作要求")
    areas: list[dict] = []
    for line in lines[start + 1 : end]:
        if not line:
            continue
        if m := AREA.match(line):
            areas.append({"no": CHINESE_NUMERALS.index(m[1]) + 1, "name": m[2], "actions": []})
        elif m := ACTION.match(line):
            areas[-1]["actions"].append({"no": int(m[1]), "name": m[2], "tasks": []})
        elif m := TASK.match(line):
            areas[-1]["actions"][-1]["tasks"].append(
                {"no": int(m[1]), "title": short_title(m[2]), "text": m[2], "lead_units": m[3].split("、")}
            )
        else:
            raise ValueError(f"unexpected line in the plan: {line[:40]}")
    return {"areas": areas}
