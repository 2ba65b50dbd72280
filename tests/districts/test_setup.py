"""``flask --app council setup --district FILE`` (council/districts): on an empty database a district file gives a
district's councils, units, plan, office coordinator and profile, all at once; otherwise nothing changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import yaml
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from council import districts
from council.accounts.models import Account, SystemRole
from council.accounts.welcome import WelcomeLink
from council.audit.models import Event
from council.calendar import clock
from council.councils.models import Council, CouncilKind, Tier
from council.districts.models import DistrictProfile
from council.extensions import db
from council.plan.models import Plan
from council.plan.queries import current_plan
from council.units.models import Unit, UnitKind
from tests.districts.conftest import DISTRICT_FILE, NEW_PASSWORD, set_up_liangshan

TABLES = (Council, Unit, Plan, DistrictProfile, Account, WelcomeLink)


def counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def test_setup_creates_the_district_of_the_file_and_nothing_else(app, runner):
    result = runner.invoke(args=["setup", "--district", str(DISTRICT_FILE)])
    assert result.exit_code == 0, result.output
    assert "已建立梁山区（梁山区儿童议事会），时区 Asia/Urumqi。" in result.output and "共 4 项任务" in result.output
    assert counts() == {"councils": 3, "units": 7, "plans": 1, "district_profile": 1, "accounts": 1,
                        "welcome_links": 1}

    councils = {c.code: c for c in db.session.scalars(select(Council))}
    district, qinghe, dongguan = councils["liangshan"], councils["qinghe"], councils["dongguan"]
    assert (district.name, district.name_en, district.kind, district.parent) == (
        "梁山区儿童议事会", "Liangshan District Children's Council", CouncilKind.district, None)
    assert (qinghe.kind, qinghe.tier, qinghe.parent) == (CouncilKind.town, Tier.town, district)
    assert (dongguan.name, dongguan.kind, dongguan.parent) == ("东关街道儿童议事会", CouncilKind.street, district)

    units = {u.name: u for u in db.session.scalars(select(Unit))}
    assert (units["清河镇人民政府"].kind, units["清河镇人民政府"].council) == (UnitKind.office, qinghe)
    assert (units["东关街道办事处"].kind, units["东关街道办事处"].council) == (UnitKind.office, dongguan)
    assert units["梁山区教育局"].name_en == "Liangshan Education Bureau"
    assert units["梁山区教育局"].kind is UnitKind.department
    group = units["梁山区各行业主管部门"]
    assert group.kind is UnitKind.group and [u.name for u in group.members] == ["梁山区教育局", "梁山区卫生健康局"]

    plan = current_plan()
    assert (plan.title, plan.document_no, plan.issued_on.isoformat()) == (
        "梁山区儿童友好城市建设行动计划（2026—2028年）", "梁政办字〔2026〕3号", "2026-03-01")
    assert [a.name_en for a in plan.areas] == ["Child-friendly spaces", "Children's health"]
    leads = {task.no: [u.name for u in task.lead_units]
             for area in plan.areas for action in area.actions for task in action.tasks}
    assert leads == {1: ["梁山区住房和城乡建设局"], 2: ["梁山区教育局", "清河镇人民政府"], 3: ["梁山区卫生健康局"],
                     4: ["梁山区文化和旅游局", "梁山区各行业主管部门"]}

    profile = db.session.scalars(select(DistrictProfile)).one()
    assert (profile.code, profile.name, profile.place_en, profile.platform_title, profile.time_zone) == (
        "liangshan", "梁山区", "Liangshan", "梁山区儿童议事会", "Asia/Urumqi")
    assert districts.current().title == "梁山区儿童议事会"  # the command let go of the profile it kept

    coordinator = db.session.scalars(select(Account)).one()
    assert (coordinator.username, coordinator.display_name, coordinator.email, coordinator.system_role) == (
        "ls_office", "李老师", "office@liangshan.example", SystemRole.coordinator)
    assert db.session.scalar(select(Event.id).where(Event.action == "district_set_up")) is not None


def test_the_coordinator_chooses_a_password_with_the_printed_link_and_signs_in(client, liangshan):
    path = "/" + liangshan.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and "ls_office" in page.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert done.status_code == 302
    coordinator = db.session.scalars(select(Account)).one()
    db.session.refresh(coordinator)
    assert check_password_hash(coordinator.password_hash, NEW_PASSWORD)
    assert client.get("/coordinator").status_code == 200


def test_a_second_setup_is_refused_and_changes_nothing(app, runner, liangshan):
    before = counts()
    result = runner.invoke(args=["setup", "--district", str(DISTRICT_FILE)])
    assert result.exit_code == 1 and "只能在空数据库上建立区" in result.output
    assert counts() == before


def test_setup_is_refused_where_zhoucun_is_loaded(app, runner, reference):
    before = counts()
    result = runner.invoke(args=["setup", "--district", str(DISTRICT_FILE)])
    assert result.exit_code == 1 and "没有做任何更改" in result.output
    assert counts() == before
    assert districts.current().code == "zhoucun"


def test_a_file_with_mistakes_lists_every_one_and_creates_nothing(app, runner, tmp_path):
    document = yaml.safe_load(DISTRICT_FILE.read_text(encoding="utf-8"))
    document["district"]["time_zone"] = "Asia/Liangshan"
    document["towns"][1]["kind"] = "village"
    del document["coordinator"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["setup", "--district", str(path)])
    assert result.exit_code == 1
    for words in ("“Asia/Liangshan”不是时区", "towns[1].kind", "缺少“coordinator”"):
        assert words in result.output, (words, result.output)
    assert set(counts().values()) == {0}


def test_names_the_file_does_not_hold_are_listed_never_guessed(app, runner, tmp_path):
    document = yaml.safe_load(DISTRICT_FILE.read_text(encoding="utf-8"))
    document["units"].append({"name": "梁山区教育局", "kind": "department"})  # twice
    document["units"][4]["members"].append("梁山区民政局")  # no unit of the file
    (tmp_path / "liangshan-plan.yaml").write_text(
        (DISTRICT_FILE.parent / "liangshan-plan.yaml").read_text(encoding="utf-8").replace(
            "[梁山区卫生健康局]", "[梁山区卫健委]"), encoding="utf-8")
    path = tmp_path / "mistakes.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["setup", "--district", str(path)])
    assert result.exit_code == 1
    for words in ("单位“梁山区教育局”列了两次", "“梁山区民政局”不在文件的单位中", "任务 3：牵头单位“梁山区卫健委”"):
        assert words in result.output, (words, result.output)
    assert set(counts().values()) == {0}


def test_a_json_file_may_hold_the_plan_itself(app, runner, tmp_path):
    document = yaml.safe_load(DISTRICT_FILE.read_text(encoding="utf-8"))
    plan = yaml.safe_load((DISTRICT_FILE.parent / "liangshan-plan.yaml").read_text(encoding="utf-8"))
    document["plan"] = plan | {"issued_on": plan["issued_on"].isoformat()}
    path = tmp_path / "liangshan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["setup", "--district", str(path)])
    assert result.exit_code == 0, result.output
    assert sum(len(action.tasks) for area in current_plan().areas for action in area.actions) == 4


def test_a_yaml_file_may_hold_the_plan_with_its_numbers_unquoted(app, runner, tmp_path):
    """YAML 1.1 reads a key ``no:`` as false; the district file's reader does not."""
    plan_text = (DISTRICT_FILE.parent / "liangshan-plan.yaml").read_text(encoding="utf-8").replace('"no"', "no")
    text = DISTRICT_FILE.read_text(encoding="utf-8").replace(
        "plan: liangshan-plan.yaml", "plan:\n" + "\n".join("  " + line for line in plan_text.splitlines()))
    path = tmp_path / "inline.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["setup", "--district", str(path)])
    assert result.exit_code == 0, result.output
    assert [task.no for area in current_plan().areas for action in area.actions for task in action.tasks] == [
        1, 2, 3, 4]


def test_the_districts_day_follows_the_zone_of_its_profile(app, runner, client):
    evening = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # 01:30 on 3 December in Zhoucun, 23:30 on the 2nd in Urumqi
    with clock.freeze(evening):
        assert clock.today().day == 3  # no district yet: Asia/Shanghai
        set_up_liangshan(runner)
        assert clock.zone().key == "Asia/Urumqi"
        assert clock.today().day == 2 and clock.local_now().hour == 23


def test_the_seed_loads_zhoucuns_profile_once(app, runner):
    assert not districts.current().is_set
    assert runner.invoke(args=["seed"]).exit_code == 0
    profile = db.session.scalars(select(DistrictProfile)).one()
    assert (profile.code, profile.platform_title, profile.platform_title_en, profile.time_zone) == (
        "zhoucun", "周村区儿童议事会", "Zhoucun Children's Council", "Asia/Shanghai")
    kept = districts.current()
    assert kept.title == "周村区儿童议事会"
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(DistrictProfile)) == 1
    assert districts.current() is kept  # nothing changed, so nothing to read again
