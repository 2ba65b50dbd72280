import json
from importlib import resources

import pytest
from sqlalchemy import func, select

from council.councils.models import Council, Tier
from council.extensions import db
from council.models import Event, PlanTask, Unit
from council.plan.source import parse_plan_text
from council.seed import load_data, seed_reference
from council.units.models import UnitKind

TOWNS = ["丝绸路街道", "大街街道", "青年路街道", "永安街街道", "城北路街道", "北郊镇", "南郊镇", "王村镇", "萌水镇"]


def official_text() -> str:
    return resources.files("council.data").joinpath("zhoucun-2023-8.txt").read_text(encoding="utf-8")


def test_shipped_plan_data_is_what_the_official_text_says():
    shipped = load_data("plan.json")
    assert shipped["areas"] == parse_plan_text(official_text())["areas"]


def test_english_data_covers_every_area_action_task_and_unit():
    plan, english = load_data("plan.json"), load_data("plan_en.json")
    actions = [action for area in plan["areas"] for action in area["actions"]]
    tasks = [task for action in actions for task in action["tasks"]]
    assert set(english["areas"]) == {str(a["no"]) for a in plan["areas"]}
    assert set(english["actions"]) == {str(a["no"]) for a in actions}
    assert set(english["tasks"]) == {str(t["no"]) for t in tasks}
    assert set(english["units"]) == {name for t in tasks for name in t["lead_units"]}


def test_seed_loads_district_and_nine_towns(reference):
    district = db.session.scalar(select(Council).where(Council.tier == Tier.district))
    assert district.name == "周村区儿童议事会"
    assert sorted(c.name for c in district.children) == sorted(f"{t}儿童议事会" for t in TOWNS)
    assert all(c.tier is Tier.town for c in district.children)


def test_seed_loads_5_areas_13_actions_41_tasks(reference):
    tasks = db.session.scalars(select(PlanTask).order_by(PlanTask.no)).all()
    assert [t.no for t in tasks] == list(range(1, 42))
    assert len({t.action_id for t in tasks}) == 13
    assert len({t.action.area_id for t in tasks}) == 5


@pytest.mark.parametrize(("no", "leads"), [
    (1, ["区发展改革局", "区妇儿工委办公室"]),
    (27, ["周村规划管理办公室", "区住房城乡建设局", "周村交警大队", "区交通运输局", "区综合行政执法局"]),
    (8, ["区教育和体育局", "区“双减”工作协调机制成员单位"]),
    (35, ["区总工会", "区工业和信息化局", "区科技局", "区财政局等各行业主管部门"]),
    (40, ["区司法局", "区检察院", "区法院"]),
])
def test_task_lead_units_in_the_order_the_plan_names_them(reference, no, leads):
    task = db.session.scalar(select(PlanTask).where(PlanTask.no == no))
    assert [u.name for u in task.lead_units] == leads


def test_non_departments_are_modelled_as_what_they_are(reference):
    mechanism = db.session.scalar(select(Unit).where(Unit.name == "区“双减”工作协调机制成员单位"))
    group = db.session.scalar(select(Unit).where(Unit.name == "区财政局等各行业主管部门"))
    assert mechanism.kind is UnitKind.mechanism and not mechanism.routable
    assert group.kind is UnitKind.group and not group.routable
    assert [m.name for m in group.members] == ["区财政局"]
    task35 = db.session.scalar(select(PlanTask).where(PlanTask.no == 35))
    assert [u.name for u in task35.suggested_units()] == ["区总工会", "区工业和信息化局", "区科技局", "区财政局"]


def test_every_named_department_is_a_unit(reference):
    names = {name for line in official_text().splitlines() if "（牵头部门：" in line
             for name in line.split("（牵头部门：")[1].rstrip("）").split("、")}
    assert set(db.session.scalars(select(Unit.name).where(Unit.kind != UnitKind.office))) == names
    assert len(names) == 34


def _counts():
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables}


def test_seeding_twice_changes_nothing(runner, app):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    before = _counts()
    snapshot = json.dumps([(t.no, t.title, [u.id for u in t.lead_units]) for t in db.session.scalars(select(PlanTask))])
    db.session.remove()
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert _counts() == before
    assert before["councils"] == 28 and before["plan_tasks"] == 41
    assert json.dumps([(t.no, t.title, [u.id for u in t.lead_units])
                       for t in db.session.scalars(select(PlanTask))]) == snapshot


def test_seed_logs_each_council_it_creates(reference):
    created = db.session.scalars(select(Event).where(Event.action == "council_created")).all()
    assert len(created) == 10


def test_seed_updates_a_changed_text(reference):
    task = db.session.scalar(select(PlanTask).where(PlanTask.no == 3))
    original = task.text
    task.text = "旧文本"
    db.session.commit()
    seed_reference()
    db.session.commit()
    assert db.session.scalar(select(PlanTask.text).where(PlanTask.no == 3)) == original
