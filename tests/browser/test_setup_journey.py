"""Issue 21 item 1 in the browser, the district office at 1280 px: three spreadsheets of a whole district (300
councils, 45 units, 600 adults) read in one preview and applied once; a second press changes nothing, the same
files again find everything there, and a file with mistakes shows them all and creates nothing."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from council.accounts.models import Account
from council.councils.models import Council
from council.extensions import db
from council.units.models import Unit
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in
from tests.setup.conftest import ADULT_HEADER, COUNCIL_HEADER, district_files, xlsx

COUNCILS_FIELD = "议事会（CSV 或 Excel .xlsx）"
UNITS_FIELD = "承办单位（CSV 或 Excel .xlsx）"
ADULTS_FIELD = "成人（CSV 或 Excel .xlsx）"


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Council, Unit, Account))


def test_office_sets_up_a_district_from_three_spreadsheets(browser, live_server, tmp_path):
    paths = {}
    for kind, rows in district_files(300, 600, 45).items():
        paths[kind] = tmp_path / f"{kind}.xlsx"
        paths[kind].write_bytes(xlsx(rows))
    bad_councils = tmp_path / "councils-with-mistakes.xlsx"
    bad_councils.write_bytes(xlsx([
        COUNCIL_HEADER, ["和平社区", "社区", "火星镇", ""], ["和平社区", "社区", "大街街道", ""],
        ["东村", "医院", "北郊镇", ""]]))
    bad_adults = tmp_path / "adults-with-mistakes.xlsx"
    bad_adults.write_bytes(xlsx([
        ADULT_HEADER, ["张丽", "12345", "", "辅导员", "和平社区", "", "2026-09-01", ""],
        ["李明", "13800000002", "li@", "教师", "和平社区", "", "2026-09-01", ""],
        ["王强", "13800000003", "", "校长", "和平社区", "", "2026-09-01", ""],
        ["赵敏", "13800000004", "", "辅导员", "不存在的社区", "", "2026-09-01", "2025-01-01"]]))
    before = counts()

    context, office, errors = signed_in(browser, live_server, "coordinator", english=False)
    office.set_viewport_size({"width": 1280, "height": 900})
    with office.expect_navigation():
        office.get_by_role("link", name="设置全区数据：用电子表格导入议事会、单位和成人").click()
    assert_accessible(office)

    # a file with mistakes: every one is shown, nothing can be applied, nothing is created
    office.get_by_label(COUNCILS_FIELD).set_input_files(str(bad_councils))
    office.get_by_label(ADULTS_FIELD).set_input_files(str(bad_adults))
    with office.expect_navigation():
        office.get_by_role("button", name="读取并检查文件").click()
    for problem in ("没有名为“火星镇”的镇（街道）议事会。", "第 2 行已经有同样的名称。", "“医院”不是议事会的类型",
                    "“12345”不是电话号码", "“li@”不是电子邮箱地址。", "“校长”不是一种角色",
                    "没有名为“不存在的社区”的议事会", "任期结束日期早于开始日期。"):
        expect(office.get_by_text(problem).first).to_be_visible()
    expect(office.get_by_text("7 行有问题")).to_be_visible()
    expect(office.get_by_role("button", name=re.compile("执行导入"))).to_have_count(0)
    assert_accessible(office)
    assert counts() == before

    # the district's three files, read together in one preview
    office.goto(live_server + "/setup")
    office.get_by_label(COUNCILS_FIELD).set_input_files(str(paths["councils"]))
    office.get_by_label(UNITS_FIELD).set_input_files(str(paths["units"]))
    office.get_by_label(ADULTS_FIELD).set_input_files(str(paths["adults"]))
    with office.expect_navigation():
        office.get_by_role("button", name="读取并检查文件").click()
    apply = office.get_by_role("button", name="执行导入：新建 945 项，修改 0 项")
    expect(apply).to_be_visible()
    assert counts() == before
    assert_accessible(office)
    preview_url = office.url

    # one apply: everything is there, the links of adults without e-mail are ready to print
    with office.expect_navigation():
        apply.click()
    expect(office.get_by_text("新建 945 项，修改 0 项。")).to_be_visible()
    expect(office.get_by_text("400 人的设置密码链接将通过邮件发送。")).to_be_visible()
    expect(office.locator(".welcome-sheet")).to_have_count(200)
    assert_accessible(office)
    after = counts()
    assert after == (before[0] + 300, before[1] + 45, before[2] + 600)

    # pressed a second time (a double submit): nothing is done twice
    again = context.request.post(preview_url)
    assert "这次导入已经执行过了，没有重复执行。" in again.text()
    assert counts() == after
    office.goto(preview_url)
    expect(office.get_by_text(re.compile("这些文件已于.*执行导入"))).to_be_visible()
    expect(office.get_by_role("button", name=re.compile("执行导入"))).to_have_count(0)
    assert_accessible(office)

    # the same files as a new import find everything there: nothing to create, nothing to change
    office.goto(live_server + "/setup")
    office.get_by_label(COUNCILS_FIELD).set_input_files(str(paths["councils"]))
    office.get_by_label(UNITS_FIELD).set_input_files(str(paths["units"]))
    office.get_by_label(ADULTS_FIELD).set_input_files(str(paths["adults"]))
    with office.expect_navigation():
        office.get_by_role("button", name="读取并检查文件").click()
    expect(office.get_by_text("不变：已存在")).to_have_count(945)
    with office.expect_navigation():
        office.get_by_role("button", name="执行导入：新建 0 项，修改 0 项").click()
    expect(office.get_by_text("新建 0 项，修改 0 项。")).to_be_visible()
    assert counts() == after
    assert errors == []
