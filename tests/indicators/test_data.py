"""The shipped indicators file against the plan's official text, and loading it with ``seed``.

What the coverage test proves: every number with a unit (%, 个, 所, 名, 张, 处, 条, 片, 次, 小时, 项, 个百分点), every
“全覆盖” and every “到20XX年” / “20XX年实现” clause in section 二 of the text lies inside the quoted words (``source``)
of an indicator of the same task, and every quoted source is verbatim in that task. It does not prove that a target
without a number or a year (“普遍”, “提高”) was chosen; those were read by hand (README, "Plan indicators")."""

import json
import re
from importlib import resources

from sqlalchemy import func, select

from council.extensions import db
from council.indicators import operations
from council.indicators.models import Comparison, Indicator
from council.plan.models import Plan
from council.plan.source import parse_plan_text

TEXT = resources.files("council.data").joinpath("zhoucun-2023-8.txt").read_text(encoding="utf-8")
DATA = json.loads(resources.files("council.data").joinpath("indicators.json").read_text(encoding="utf-8"))
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[-—]\d+)?(?:%|％|个百分点|个|所|名|张|处|条|片|次|小时|项)")
DATED = re.compile(r"20\d\d年(?:实现)?[，,]?([^。；，]+)")  # the clause a year opens
WHOLE = re.compile(r"[^，。；]*全覆盖")


def tasks() -> dict[int, str]:
    return {t["no"]: t["text"] for area in parse_plan_text(TEXT)["areas"] for action in area["actions"]
            for t in action["tasks"]}


def covered(task_text: str, sources: list[str], start: int, end: int) -> bool:
    """Every character of the span (but the 、 between two targets) lies in the quoted words of an indicator."""
    inside: set[int] = set()
    for source in sources:
        at = task_text.find(source)
        while at != -1:
            inside |= set(range(at, at + len(source)))
            at = task_text.find(source, at + 1)
    return all(i in inside for i in range(start, end) if task_text[i] != "、")


def test_every_number_full_coverage_and_dated_clause_of_the_plan_has_an_indicator():
    by_task: dict[int, list[str]] = {}
    for item in DATA["indicators"]:
        by_task.setdefault(item["task_no"], []).append(item["source"])
    missing = []
    for no, text in tasks().items():
        for pattern in (NUMBER, DATED, WHOLE):
            for match in pattern.finditer(text):
                group = 1 if pattern is DATED else 0
                if not covered(text, by_task.get(no, []), match.start(group), match.end(group)):
                    missing.append((no, match.group()))
    assert missing == []


def test_every_quoted_source_is_verbatim_in_its_task_and_holds_its_numbers():
    texts = tasks()
    for item in DATA["indicators"]:
        assert item["source"] in texts[item["task_no"]], item["code"]
        if item["deadline_in_text"]:  # the year opens the sentence the target stands in
            sentence = next(s for s in texts[item["task_no"]].split("。") if item["source"] in s)
            assert f"{item['deadline']}年" in sentence, item["code"]
        if item["comparison"] != "milestone":
            target = abs(item["target"])
            number = f"{target:g}"
            # “全覆盖”/“全部” is 100 %; “每个镇（街道）配备1名” is read as the share of them that have one: 100 %.
            whole = target == 100 and ("全" in item["source"] or "配备1名" in item["source"])
            assert number in item["source"] or whole, item["code"]


def test_values_read_from_the_text():
    items = {i["code"]: i for i in DATA["indicators"]}
    assert (items["childcare-places"]["target"], items["childcare-places"]["deadline"]) == (4.5, 2025)
    assert (items["inclusive-kindergartens"]["target"], items["inclusive-kindergartens"]["comparison"]) == (90,
                                                                                                           "at_least")
    assert (items["caries-rate"]["target"], items["caries-rate"]["comparison"]) == (30, "at_most")
    assert (items["myopia-rate"]["target"], items["myopia-rate"]["comparison"]) == (-1, "change_per_year")
    assert (items["sports-grounds"]["target"], items["sports-grounds"]["deadline"]) == (12, 2023)
    assert (items["theme-parks"]["target"], items["theme-parks"]["unit"]) == (2, "个")
    assert (items["friendly-blocks"]["target"], items["friendly-routes"]["target"]) == (3, 3)
    assert items["council-system"]["comparison"] == "milestone" and items["council-system"]["task_no"] == 3
    assert items["hope-rooms"]["deadline"] == 2023 and items["cerebral-palsy-aid"]["deadline"] == 2024
    undated = [i for i in DATA["indicators"] if not i["deadline_in_text"]]
    assert undated and all(i["deadline"] == DATA["horizon"] == 2025 for i in undated)
    assert all(i["comparison"] in {c.value for c in Comparison} for i in DATA["indicators"])
    assert len({i["code"] for i in DATA["indicators"]}) == len(DATA["indicators"])


def test_seed_loads_the_indicators_onto_the_plan_version_once(reference):
    from council.seed import seed_reference

    plan = db.session.scalar(select(Plan))
    count = db.session.scalar(select(func.count(Indicator.id)))
    assert count == len(DATA["indicators"]) and (plan.code, plan.version) == (DATA["plan_code"], DATA["plan_version"])
    parks = db.session.scalar(select(Indicator).where(Indicator.code == "theme-parks"))
    assert parks.plan_id == plan.id and parks.task.no == 28
    assert [u.name for u in parks.responsible_units()] == ["区综合行政执法局", "区住房城乡建设局"]
    seed_reference()
    db.session.commit()
    assert db.session.scalar(select(func.count(Indicator.id))) == count
    assert not db.session.dirty


def test_a_new_version_of_the_file_updates_in_place_and_retires_what_it_drops(reference, monkeypatch):
    changed = json.loads(json.dumps(DATA))
    changed["indicators"] = [i for i in changed["indicators"] if i["code"] != "sport-skills"]
    changed["indicators"][0]["label"] = "新的说法"
    real = operations.load_data
    monkeypatch.setattr(operations, "load_data", lambda name: changed if name == "indicators.json" else real(name))
    operations.seed_indicators()
    db.session.commit()
    first = db.session.scalar(select(Indicator).where(Indicator.code == changed["indicators"][0]["code"]))
    dropped = db.session.scalar(select(Indicator).where(Indicator.code == "sport-skills"))
    assert first.label == "新的说法" and not dropped.active
    assert "sport-skills" not in [i.code for i in operations.current_indicators()]
