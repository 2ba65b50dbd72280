"""The office, at 1280 px, reads the plan's official text as a file and sees every task and its lead units before
anything changes (issue 21 item 2)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

SEED_TEXT = Path(__file__).resolve().parents[2] / "council" / "data" / "zhoucun-2023-8.txt"


def test_the_office_reads_a_plan_file_before_loading_it(browser, live_server):
    context, page, errors = signed_in(browser, live_server, "coordinator", english=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.get_by_role("link", name="规划文件：载入前先读取").click()
    assert_accessible(page)
    page.get_by_label("规划文件（.json、.xlsx、.yaml，或正式文本 .txt）").set_input_files(str(SEED_TEXT))
    with page.expect_navigation():
        page.get_by_role("button", name="读取文件").click()
    expect(page.get_by_role("heading", name="文件里有 5 个领域、13 项行动、41 项任务。")).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(41)
    expect(page.get_by_text("所有牵头单位都找到了，没有缺少的内容。")).to_be_visible()
    assert_accessible(page)
    context.close()
    assert errors == []
