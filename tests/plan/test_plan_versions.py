"""Plans have versions (issue 21 item 3): a plan document applied as a new version (council/plan/operations.py),
the old versions kept with their ideas and indicators, the public pages of each version, the office's mapping of
old tasks to the current plan's, which the plan coverage, the statistics and the idea list follow; the office
applies in the browser and from the command line."""

from __future__ import annotations

import io
import json
import re
from importlib import resources

import pytest
from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.indicators.models import Indicator
from council.plan import operations
from council.plan.files import PlanFileError, document_json, plan_document, read_plan, tasks_of
from council.plan.models import Plan, PlanTask, PlanTaskSuccessor
from council.plan.queries import current_plan, current_task_of, current_tasks, plan_of_version
from council.proposals.models import Proposal
from council.stats import figures
from tests.accounts.test_views import DEMO_PASSWORD


def official_document() -> dict:
    data = resources.files("council.data").joinpath("zhoucun-2023-8.txt").read_bytes()
    return read_plan("zhoucun-2023-8.txt", data)


def changed_document() -> dict:
    """The current plan as its JSON export, with task 1 renamed and the last task left out: a new version."""
    document = json.loads(document_json(plan_document(current_plan())))
    document["title"] = "周村区儿童友好城市建设行动计划（2026修订）"
    document["issued_on"] = "2026-03-01"
    document["areas"][0]["actions"][0]["tasks"][0]["title"] = "完善儿童优先发展的政策体系（修订）"
    document["areas"][-1]["actions"][-1]["tasks"].pop()
    return document


def leads_by_no(plan: Plan) -> dict[int, list[str]]:
    return {task.no: [unit.name for unit in task.lead_units]
            for area in plan.areas for action in area.actions for task in action.tasks}


def table_counts() -> dict[str, int]:
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables}


PLAN_TABLES = ("plans", "plan_areas", "plan_actions", "plan_tasks", "plan_task_lead_units", "plan_task_successors",
               "indicators")


def plan_counts() -> dict[str, int]:
    return {name: count for name, count in table_counts().items() if name in PLAN_TABLES}


def tagged_idea() -> Proposal:
    """A public demo idea tagged with a task of version 1."""
    return db.session.scalar(select(Proposal).where(Proposal.plan_task_id.is_not(None), Proposal.is_public)
                             .order_by(Proposal.id))


# --- applying ------------------------------------------------------------------------------------------------

def test_the_seed_text_applies_as_version_2_with_the_same_tasks_and_lead_units(reference):
    first = current_plan()
    before = leads_by_no(first)
    plan = operations.apply_document(official_document(), actor=None)
    db.session.commit()
    db.session.expire_all()
    assert (plan.version, current_plan().id) == (2, plan.id)
    assert (len(plan.areas), sum(len(a.actions) for a in plan.areas)) == (5, 13)
    assert len(db.session.scalars(current_tasks()).all()) == 41
    assert leads_by_no(plan) == before  # the same lead units, in the plan's order
    assert plan.title == first.title and plan.document_no == "周政办字〔2023〕8号"
    assert plan.code != first.code and plan.fingerprint == operations.fingerprint(official_document())
    old = plan_of_version(1)  # version 1 is untouched
    assert leads_by_no(old) == before and old.areas[0].actions[0].tasks[0].title_en
    event = db.session.scalar(select(Event).where(Event.action == "plan_applied"))
    assert event.subject_id == plan.id and event.data["tasks"] == 41 and event.data["previous"] == 1


def test_applying_the_same_document_twice_in_a_row_is_refused(reference):
    operations.apply_document(official_document(), actor=None)
    db.session.commit()
    counts = table_counts()
    with pytest.raises(operations.AlreadyCurrent, match="已经是现行"):
        operations.apply_document(official_document(), actor=None)
    db.session.rollback()
    assert table_counts() == counts
    # the seed's own plan (no stored fingerprint) is recognised by its rows too
    db.session.execute(Plan.__table__.update().where(Plan.version == 2).values(fingerprint=None))
    with pytest.raises(operations.AlreadyCurrent):
        operations.apply_document(official_document(), actor=None)


def test_the_current_plan_exported_and_applied_again_is_refused(reference):
    with pytest.raises(operations.AlreadyCurrent):
        operations.apply_document(plan_document(current_plan()), actor=None)


def test_a_file_with_unknown_units_is_refused_with_them_listed_and_nothing_created(reference):
    document = official_document()
    tasks = [task for _area, _action, task in tasks_of(document)]
    tasks[0]["lead_units"] = ["区未来规划局", *tasks[0]["lead_units"]]
    tasks[5]["lead_units"] = ["区星际交通局"]
    counts = table_counts()
    with pytest.raises(PlanFileError) as refused:
        operations.apply_document(document, actor=None)
    assert any("区未来规划局" in p for p in refused.value.problems)
    assert any("区星际交通局" in p for p in refused.value.problems)
    db.session.rollback()
    assert table_counts() == counts


def test_a_sheet_without_title_or_date_needs_them_given(reference):
    document = official_document() | {"title": None, "document_no": None, "issued_on": None}
    with pytest.raises(PlanFileError) as refused:
        operations.apply_document(document, actor=None)
    assert len(refused.value.problems) == 2  # the title and the date; the number may stay empty
    plan = operations.apply_document(operations.with_details(document, title="新计划", issued_on="2026-03-01"),
                                     actor=None)
    assert (plan.title, plan.document_no, plan.issued_on.isoformat()) == ("新计划", "", "2026-03-01")


def test_targets_become_indicators_of_the_new_version_and_the_old_keep_their_reports(demo):
    old_indicators = {i.id: len(i.reports) for i in db.session.scalars(select(Indicator))}
    assert any(old_indicators.values())
    document = changed_document()
    plan = operations.apply_document(document, actor=None)
    db.session.commit()
    new = list(db.session.scalars(select(Indicator).where(Indicator.plan_id == plan.id)))
    targets = [t for _area, _action, task in tasks_of(document) for t in task["targets"]]
    assert len(new) == len(targets) > 0
    assert all(i.task.action.area.plan_id == plan.id for i in new)
    childcare = next(i for i in new if i.code == "childcare-places")
    assert childcare.label == "每1000个人里，给3岁以下小宝宝的托育位置"  # carried over from version 1
    assert {i.id: len(i.reports) for i in db.session.scalars(select(Indicator).where(
        Indicator.id.in_(list(old_indicators))))} == old_indicators
    from council.indicators.operations import current_indicators

    assert {i.plan_id for i in current_indicators()} == {plan.id}


# --- which plan is current, everywhere ---------------------------------------------------------------------

def test_ideas_keep_their_task_and_link_to_the_old_task_page(client, demo):
    idea = tagged_idea()
    old_task = idea.plan_task
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Proposal, idea.id).plan_task_id == old_task.id
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/plan/versions/1/tasks/{old_task.no}"' in page and old_task.title in page
    old_page = client.get(f"/plan/versions/1/tasks/{old_task.no}").get_data(as_text=True)
    assert "不是现行计划" in old_page and "办公室还没有指定" in old_page


def test_the_wizard_offers_only_the_current_plans_tasks(client, auth, demo):
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    draft = db.session.scalar(select(Proposal).where(Proposal.title == "图书馆周末也开门"))
    auth.login(draft.authors[0].username, DEMO_PASSWORD)
    page = client.get(f"/ideas/{draft.id}/step/6").get_data(as_text=True)
    assert "完善儿童优先发展的政策体系（修订）" in page
    assert page.count('name="task"') == 40 + 1  # the current plan's 40 tasks and "something else"
    client.post(f"/ideas/{draft.id}/step/6", data={"task": "1"})
    db.session.expire_all()
    assert db.session.get(Proposal, draft.id).plan_task.action.area.plan.version == 2


def test_plan_pages_show_the_current_version_and_link_the_earlier(client, demo):
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    index = client.get("/plan/").get_data(as_text=True)
    assert "（2026修订）" in index and 'href="/plan/versions/1"' in index and 'href="/plan/tasks/1"' in index
    assert "/plan/export.json" in index and "/plan/export.xlsx" in index
    old = client.get("/plan/versions/1").get_data(as_text=True)
    assert "不是现行计划" in old and 'href="/plan/versions/1/tasks/41"' in old
    assert client.get("/plan/versions/2").headers["Location"] == "/plan/"
    assert client.get("/plan/versions/1/tasks/1").status_code == 200
    assert client.get("/plan/versions/2/tasks/1").headers["Location"] == "/plan/tasks/1"
    assert client.get("/plan/versions/9").status_code == 404
    assert client.get("/plan/tasks/41").status_code == 404  # version 2 has 40 tasks
    assert "（修订）" in client.get("/plan/tasks/1").get_data(as_text=True)


def test_the_plan_downloads_are_the_current_plan(client, demo):
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    response = client.get("/plan/export.json")
    assert response.headers["Content-Disposition"] == 'attachment; filename="plan-v2.json"'
    assert json.loads(response.data) == json.loads(document_json(plan_document(current_plan())))
    assert client.get("/plan/export.xlsx").headers["Content-Disposition"] == 'attachment; filename="plan-v2.xlsx"'


# --- mapping -----------------------------------------------------------------------------------------------

def test_coverage_and_the_idea_list_follow_the_offices_mapping(client, auth, demo):
    public_tagged = sum(row.ideas for row in figures.coverage())
    idea = tagged_idea()
    old_no = idea.plan_task.no
    operations.apply_document(official_document(), actor=None)
    db.session.commit()
    assert sum(row.ideas for row in figures.coverage()) == 0  # not mapped yet: nothing counts under version 2
    assert f"/ideas/{idea.id}\"" not in client.get(f"/ideas/?task={old_no}").get_data(as_text=True)

    auth.login("coordinator", DEMO_PASSWORD)
    page = client.get("/plan/versions/1/mapping").get_data(as_text=True)
    assert page.count("selected") == 41  # same numbers and titles: every task suggested, nothing saved yet
    assert db.session.scalar(select(func.count()).select_from(PlanTaskSuccessor)) == 0
    form = dict(re.findall(r'<select name="(task-\d+)"[^>]*>.*?<option value="(\d+)" selected', page, re.S))
    form["csrf_token"] = ""
    response = client.post("/plan/versions/1/mapping", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PlanTaskSuccessor)) == 41

    rows = figures.coverage()
    assert {row.task.action.area.plan.version for row in rows} == {2}
    assert sum(row.ideas for row in rows) == public_tagged
    assert current_task_of(idea.plan_task_id) == next(r.task.id for r in rows if r.task.no == old_no)
    assert f"/ideas/{idea.id}\"" in client.get(f"/ideas/?task={old_no}").get_data(as_text=True)
    assert "现行计划中的任务" in client.get(f"/plan/versions/1/tasks/{old_no}").get_data(as_text=True)
    area_rows = figures.by_area(figures.cube(figures.Scope(idea.submitted_at.year)))
    assert sum(r.value for r in area_rows if r.key != "none") > 0


def test_the_office_maps_one_task_and_unmaps_another(client, auth, demo):
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    old = plan_of_version(1)
    new = {t.no: t for t in db.session.scalars(current_tasks())}
    old_tasks = {t.no: t for a in old.areas for ac in a.actions for t in ac.tasks}
    auth.login("coordinator", DEMO_PASSWORD)
    page = client.get("/plan/versions/1/mapping").get_data(as_text=True)
    assert page.count("selected") == 39  # task 1 renamed, task 41 gone: no suggestion for them
    data = {f"task-{t.id}": "" for t in old_tasks.values()}
    data |= {f"task-{old_tasks[1].id}": str(new[1].id), f"task-{old_tasks[41].id}": str(new[40].id)}
    assert client.post("/plan/versions/1/mapping", data=data).status_code == 302
    assert {current_task_of(old_tasks[n].id) for n in (1, 41, 2)} == {new[1].id, new[40].id, None}
    data[f"task-{old_tasks[41].id}"] = ""
    client.post("/plan/versions/1/mapping", data=data)
    assert current_task_of(old_tasks[41].id) is None
    refused = client.post("/plan/versions/1/mapping", data=data | {f"task-{old_tasks[2].id}": str(old_tasks[3].id)})
    assert refused.status_code == 400 and "请为任务 2 选择现行计划的一项任务" in refused.get_data(as_text=True)


def test_only_the_office_maps_and_the_current_version_has_nothing_to_map(client, auth, demo):
    operations.apply_document(changed_document(), actor=None)
    db.session.commit()
    assert "/login" in client.get("/plan/versions/1/mapping").headers["Location"]
    auth.login("facilitator", DEMO_PASSWORD)
    assert client.get("/plan/versions/1/mapping").status_code == 403
    assert client.post("/plan/versions/1/mapping", data={}).status_code == 403
    assert client.get("/plan/versions/1").status_code == 200  # every version is public
    auth.logout()
    auth.login("coordinator", DEMO_PASSWORD)
    assert client.get("/plan/versions/2/mapping").headers["Location"] == "/plan/"
    assert client.get("/plan/versions/7/mapping").status_code == 404


# --- the office applies in the browser ---------------------------------------------------------------------

def _preview(client, document: dict, name: str = "plan.json"):
    return client.post("/plan/preview", data={"plan_file": (io.BytesIO(document_json(document)), name)},
                       content_type="multipart/form-data")


def _apply_form(page: str) -> dict:
    form = page[page.index('action="/plan/apply"'):]
    return {name: value.replace("&#34;", '"').replace("&amp;", "&") for name, value in
            re.findall(r'<input[^>]*?name="(document|title|document_no|issued_on)"[^>]*?value="([^"]*)"', form)}


def test_the_office_applies_a_previewed_file_once(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    document = changed_document()
    page = _preview(client, document).get_data(as_text=True)
    assert "作为新版本启用" in page
    form = _apply_form(page)
    assert form["title"] == "周村区儿童友好城市建设行动计划（2026修订）" and form["issued_on"] == "2026-03-01"
    response = client.post("/plan/apply", data=form)
    assert response.headers["Location"] == "/plan/versions/1/mapping"
    assert "第 2 版现在是现行计划" in client.get("/plan/versions/1/mapping").get_data(as_text=True)
    counts = table_counts()
    again = client.post("/plan/apply", data=form)  # a double submit
    assert again.headers["Location"] == "/plan/" and "已经是现行计划" in client.get("/plan/").get_data(as_text=True)
    assert table_counts() == counts
    # and reading the same file again says so, without the button
    page = _preview(client, document).get_data(as_text=True)
    assert "已经是现行计划" in page and 'action="/plan/apply"' not in page


def test_a_refused_apply_changes_nothing(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    form = _apply_form(_preview(client, changed_document()).get_data(as_text=True))
    counts = plan_counts()
    tampered = client.post("/plan/apply", data=form | {"document": form["document"][:-3] + "abc"})
    assert tampered.status_code == 400 and "这不是读过的计划" in tampered.get_data(as_text=True)
    untitled = client.post("/plan/apply", data=form | {"title": ""})
    assert untitled.status_code == 400 and 'id="title-error"' in untitled.get_data(as_text=True)
    undated = client.post("/plan/apply", data=form | {"issued_on": "2026-02-30"})
    assert undated.status_code == 400 and 'id="issued_on-error"' in undated.get_data(as_text=True)
    auth.logout()
    auth.login("facilitator", DEMO_PASSWORD)
    assert client.post("/plan/apply", data=form).status_code == 403
    assert plan_counts() == counts


def test_a_preview_with_problems_offers_no_apply(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    document = changed_document()
    document["areas"][0]["actions"][0]["tasks"][0]["lead_units"] = ["区未来规划局"]
    page = _preview(client, document).get_data(as_text=True)
    assert "找不到：区未来规划局" in page and 'action="/plan/apply"' not in page


# --- the command line ----------------------------------------------------------------------------------------

def test_plan_load_apply_from_the_command_line(runner, reference, tmp_path):
    from council.plan.files import plan_workbook

    sheet = tmp_path / "plan.xlsx"
    sheet.write_bytes(plan_workbook(current_plan()))
    preview = runner.invoke(args=["plan", "load", str(sheet)])
    assert preview.exit_code == 0 and db.session.scalar(select(func.count(Plan.id))) == 1
    refused = runner.invoke(args=["plan", "load", str(sheet), "--apply"])
    assert refused.exit_code != 0 and db.session.scalar(select(func.count(Plan.id))) == 1
    applied = runner.invoke(args=["plan", "load", str(sheet), "--apply", "--title", "新版行动计划",
                                  "--issued-on", "2026-03-01", "--document-no", "周政办字〔2026〕3号"])
    assert applied.exit_code == 0, applied.output
    plan = current_plan()
    assert (plan.version, plan.title, plan.document_no) == (2, "新版行动计划", "周政办字〔2026〕3号")
    assert len(leads_by_no(plan)) == 41
    twice = runner.invoke(args=["plan", "load", str(sheet), "--apply", "--title", "新版行动计划",
                                "--issued-on", "2026-03-01"])
    assert twice.exit_code != 0 and db.session.scalar(select(func.count(Plan.id))) == 2


def test_units_lead_and_routing_suggest_from_the_current_plan(demo):
    from council.tasks.operations import suggested_units
    from council.units.models import Unit
    from council.units.queries import led_tasks

    idea = tagged_idea()
    before = [u.id for u in suggested_units(idea)]
    operations.apply_document(official_document(), actor=None)
    db.session.commit()
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    assert {t.action.area.plan.version for t in led_tasks(edu)} == {2}
    assert [u.id for u in suggested_units(idea)] == before  # not mapped: the old task's own leads
    assert db.session.scalar(select(func.count(PlanTask.id))) == 82
