"""The idea wizard with a keyboard only: every field and button is reached with Tab and used with keys."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import signed_in


def tab_to(page, predicate: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``predicate`` (a JS expression on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"):
            return
    raise AssertionError(f"never reached {predicate} with Tab")


def test_a_child_writes_the_first_steps_with_the_keyboard(browser, live_server):
    context, page, errors = signed_in(browser, live_server, "child", english=False)
    page.goto(live_server + "/ideas/new")
    tab_to(page, "el.textContent && el.textContent.includes('开始写新建议')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ideas/\d+/step/1$"))
    tab_to(page, "el.id === 'title'")
    page.keyboard.type("跳绳的地方太少")
    page.keyboard.press("Tab")
    page.keyboard.type("课间只有一小块地方可以跳绳。")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('下一步')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ideas/\d+/step/2$"))
    tab_to(page, "el.id === 'place'")
    page.keyboard.type("操场东边")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('下一步')")
    page.keyboard.press(" ")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第3步")
    context.close()
    assert errors == []
