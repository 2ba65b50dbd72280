"""The action plan as a file (council/plan/files.py, ``flask --app council plan export|load``): the seed's own
official text reads as the seeded plan, JSON and XLSX exports read back as they were written, a preview names what
does not fit, and loading changes nothing."""

from __future__ import annotations

import io
import json
from importlib import resources

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from council.extensions import db
from council.indicators.models import Comparison
from council.plan.files import (
    KEYWORDS,
    PlanFileError,
    document_json,
    plan_document,
    plan_schema,
    plan_workbook,
    preview,
    read_plan,
    schema_problems,
    tasks_of,
)
from council.plan.models import PlanTask
from council.plan.queries import current_plan

HYPERLINK = '=HYPERLINK("http://x","y")'


def official_bytes() -> bytes:
    return resources.files("council.data").joinpath("zhoucun-2023-8.txt").read_bytes()


def seeded_leads() -> dict[int, list[str]]:
    return {task.no: [unit.name for unit in task.lead_units] for task in db.session.scalars(select(PlanTask))}


def leads_of(document: dict) -> dict[int, list[str]]:
    return {task["no"]: task["lead_units"] for _area, _action, task in tasks_of(document)}


def table_counts() -> dict[str, int]:
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables}


def test_the_official_text_reads_as_the_seeded_plan(reference):
    document = read_plan("zhoucun-2023-8.txt", official_bytes())
    shown = preview(document)
    assert (shown.areas, shown.actions, shown.task_count) == (5, 13, 41)
    assert leads_of(document) == seeded_leads()
    assert all(not task.unknown_units for task in shown.tasks)
    assert [[u.name for u in task.lead_units] for task in shown.tasks] == [leads_of(document)[t.no]
                                                                         for t in shown.tasks]
    assert shown.problems == []
    assert (document["document_no"], document["issued_on"]) == ("周政办字〔2023〕8号", "2023-03-28")
    assert document["title"] == current_plan().title


def test_the_official_text_in_gb18030_or_with_a_byte_order_mark_reads_the_same(reference):
    utf8 = read_plan("plan.txt", official_bytes())
    text = official_bytes().decode("utf-8")
    assert read_plan("plan.txt", text.encode("gb18030")) == utf8
    assert read_plan("plan.txt", b"\xef\xbb\xbf" + official_bytes()) == utf8


def test_a_json_export_reads_back_as_the_same_document(reference):
    document = plan_document(current_plan())
    assert read_plan("plan.json", document_json(document)) == document
    targets = [t for _area, _action, task in tasks_of(document) for t in task["targets"]]
    assert len(targets) == 32
    childcare = next(t for t in targets if t["code"] == "childcare-places")
    assert (childcare["target"], childcare["unit"], childcare["deadline"]) == (4.5, "个/千人", 2025)


def test_an_xlsx_export_reads_back_with_the_same_tasks_and_lead_units(reference):
    document = plan_document(current_plan())
    read = read_plan("plan.xlsx", plan_workbook(current_plan()))
    fields = ("no", "title", "text", "title_en", "text_en", "lead_units")
    assert [(area["no"], action["no"], *(task[f] for f in fields)) for area, action, task in tasks_of(read)] == [
        (area["no"], action["no"], *(task[f] for f in fields)) for area, action, task in tasks_of(document)]
    assert [a["name"] for a in read["areas"]] == [a["name"] for a in document["areas"]]


def test_a_sheet_with_english_headers_reads_too(reference, english):
    with english():
        body = plan_workbook(current_plan())
    book = load_workbook(io.BytesIO(body))
    assert book.active["J1"].value == "Lead units"
    assert leads_of(read_plan("plan.xlsx", body)) == seeded_leads()


def test_a_formula_looking_title_is_text_in_the_sheet(reference):
    task = db.session.scalar(select(PlanTask).where(PlanTask.no == 1))
    task.title = HYPERLINK
    db.session.flush()
    sheet = load_workbook(io.BytesIO(plan_workbook(current_plan()))).active
    cell = sheet["F2"]
    assert cell.value == HYPERLINK and cell.data_type == "s" and cell.quotePrefix
    assert read_plan("plan.xlsx", plan_workbook(current_plan()))["areas"][0]["actions"][0]["tasks"][0]["title"] \
        == HYPERLINK


def test_the_preview_names_an_unknown_unit_and_a_duplicate_task_number(reference):
    document = plan_document(current_plan())
    tasks = [task for _area, _action, task in tasks_of(document)]
    tasks[1]["no"] = tasks[0]["no"]
    tasks[2]["lead_units"] = ["区妇联", "区未来局"]
    shown = preview(read_plan("plan.json", document_json(document)))
    assert shown.problems == ["任务 1 出现了不止一次。", "任务 3：没有名为“区未来局”的单位。"]
    third = shown.tasks[2]
    assert [u.name for u in third.lead_units] == ["区妇联"] and third.unknown_units == ["区未来局"]


def test_a_json_that_breaks_the_rules_is_refused_with_every_problem(reference):
    document = plan_document(current_plan())
    del document["areas"][0]["name"]
    document["areas"][1]["actions"][0]["tasks"][0]["no"] = "五"
    document["colour"] = "red"
    with pytest.raises(PlanFileError) as refused:
        read_plan("plan.json", document_json(document))
    assert refused.value.problems == ["areas[0]：缺少“name”。", "areas[1].actions[0].tasks[0].no：应为整数。",
                                      "文件：这里不应有“colour”。"]
    assert "areas[0]：缺少“name”。" in refused.value.message


def test_other_files_are_refused_plainly(reference):
    with pytest.raises(PlanFileError, match="不是行动方案文件"):
        read_plan("plan.docx", b"x")
    with pytest.raises(PlanFileError, match="这不是 JSON"):
        read_plan("plan.json", b"{")
    with pytest.raises(PlanFileError, match="正式文本"):
        read_plan("plan.txt", "随便写的字".encode())


def test_a_yaml_file_reads_as_the_same_document(reference):
    import yaml

    document = plan_document(current_plan())
    assert read_plan("plan.yaml", yaml.safe_dump(document, allow_unicode=True).encode()) == document


def test_the_schema_uses_only_rules_the_reader_knows():
    def keywords(schema) -> set[str]:
        found = set(schema)
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                found |= {k for item in value.values() for k in keywords(item)}
            elif key == "items":
                found |= keywords(value)
        return found

    assert keywords(plan_schema()) <= KEYWORDS
    assert plan_schema()["$defs"]["target"]["properties"]["comparison"]["enum"] == [c.value for c in Comparison]


def test_plan_export_writes_a_json_file_the_schema_accepts(reference, runner, tmp_path):
    result = runner.invoke(args=["plan", "export", str(tmp_path / "x.json")])
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert schema_problems(written) == []
    assert len(written["areas"]) == 5


def test_plan_export_writes_a_sheet_and_refuses_other_formats(reference, runner, tmp_path):
    assert runner.invoke(args=["plan", "export", str(tmp_path / "x.xlsx")]).exit_code == 0
    assert load_workbook(tmp_path / "x.xlsx").active.max_row == 42
    refused = runner.invoke(args=["plan", "export", str(tmp_path / "x.csv")])
    assert refused.exit_code != 0 and ".json" in refused.output


def test_plan_load_prints_the_preview_and_changes_nothing(reference, runner, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(official_bytes())
    before = table_counts()
    result = runner.invoke(args=["plan", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 个领域、13 项行动、41 项任务" in result.output
    assert "1.1.1 加强儿童友好规划设计\n    牵头部门：区发展改革局、区妇儿工委办公室" in result.output
    assert "问题：0" in result.output and "未做任何更改。" in result.output
    db.session.remove()
    assert table_counts() == before


def test_plan_load_shows_unknown_units_and_problems(reference, runner, tmp_path):
    document = plan_document(current_plan())
    document["areas"][0]["actions"][0]["tasks"][0]["lead_units"].append("区未来局")
    path = tmp_path / "plan.json"
    path.write_bytes(document_json(document))
    result = runner.invoke(args=["plan", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "未知单位：区未来局" in result.output
    assert "问题：1\n- 任务 1：没有名为“区未来局”的单位。" in result.output


def test_plan_load_apply_of_the_current_plan_refuses_and_changes_nothing(reference, runner, tmp_path):
    """Applying is tested in tests/plan/test_plan_versions.py; the current plan's own export is the current plan."""
    path = tmp_path / "plan.json"
    path.write_bytes(document_json(plan_document(current_plan())))
    before = table_counts()
    result = runner.invoke(args=["plan", "load", "--apply", str(path)])
    assert result.exit_code != 0
    assert "已经是现行计划" in result.output and "没有做任何改动" in result.output
    db.session.remove()
    assert table_counts() == before


def test_the_schema_is_published_beside_the_static_files(client):
    with client.get("/static/schemas/plan.schema.json") as response:  # a served file is open until closed
        assert response.status_code == 200
        assert json.loads(response.data) == plan_schema()
