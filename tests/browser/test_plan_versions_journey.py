"""The office, at 1280 px, loads a new version of the plan from a file: reads it, applies it, says which old tasks
continue in which new ones; then a visitor finds the earlier version from the plan's page (issue 21 item 3)."""

from __future__ import annotations

from playwright.sync_api import expect

from council.plan.files import document_json
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in
from tests.plan.test_plan_versions import changed_document

TITLE = "周村区儿童友好城市建设行动计划（2026修订）"


def test_the_office_applies_a_new_plan_version_and_maps_its_tasks(browser, live_server, tmp_path):
    plan_file = tmp_path / "plan-2026.json"
    plan_file.write_bytes(document_json(changed_document()))  # task 1 renamed, task 41 left out

    context, page, errors = signed_in(browser, live_server, "coordinator", english=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/plan/preview")
    page.get_by_label("规划文件（.json、.xlsx、.yaml，或正式文本 .txt）").set_input_files(str(plan_file))
    with page.expect_navigation():
        page.get_by_role("button", name="读取文件").click()
    expect(page.get_by_role("heading", name="文件里有 5 个领域、13 项行动、40 项任务。")).to_be_visible()
    expect(page.get_by_label("计划标题")).to_have_value(TITLE)
    expect(page.get_by_label("印发日期")).to_have_value("2026-03-01")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="作为新版本启用").click()

    # on to the mapping of version 1's tasks: the same number and title are suggested, the rest is chosen
    expect(page.get_by_text("第 2 版现在是现行计划")).to_be_visible()
    expect(page.get_by_role("heading", name="对应第 1 版的任务")).to_be_visible()
    first = page.get_by_label("1. 加强儿童友好规划设计", exact=True)
    expect(first).to_have_value("")  # renamed in version 2: no suggestion
    assert_accessible(page)
    first.select_option(label="1. 完善儿童优先发展的政策体系（修订）")
    page.get_by_label("41. 加强对未成年人法治和预防犯罪教育").select_option(label="40. 加强儿童司法保护")
    with page.expect_navigation():
        page.get_by_role("button", name="保存对应关系").click()
    expect(page.get_by_text("对应关系已保存")).to_be_visible()
    expect(page.get_by_text("这是计划的第 1 版，按原样保存：它不是现行计划。")).to_be_visible()
    assert_accessible(page)
    context.close()
    assert errors == []

    # a visitor: the plan's page is version 2 and links version 1, whose last task continues in task 40
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = visitor.new_page()
    page.goto(live_server + "/plan/")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="第 1 版").click()
    expect(page.get_by_text("它不是现行计划")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="加强对未成年人法治和预防犯罪教育").click()
    expect(page.get_by_text("它由现行计划中的任务接续：")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="任务 40").click()
    expect(page.get_by_role("heading", name="任务 40")).to_be_visible()
    assert_accessible(page)
    visitor.close()
