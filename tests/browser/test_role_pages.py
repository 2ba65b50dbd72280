"""Every role's landing page, seen in the browser: reachable from sign-in, accessible, thumb-sized."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

DEMO_PASSWORD = "zhoucun2026"

# Controls a child taps: navigation, buttons, form fields and links that stand alone.
# A radio button or checkbox is tapped through its label, which is the target that must be large.
TARGETS = ("nav a, button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), .button, .tree a, "
           ".cards a, .plain-list a, .choice-list label")


def too_small_targets(page) -> list[str]:
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.height < 44 || r.width < 44)
            .map(([el, r]) => `${el.tagName} "${el.textContent.trim().slice(0, 20)}" ${r.width}x${r.height}`)""",
        TARGETS,
    )


@pytest.mark.parametrize(("username", "landing", "heading"), [
    ("child", "/me", "你好，小星星！"),
    ("teacher", "/teacher", "我的班级"),
    ("facilitator", "/facilitator", "我的议事会"),
    ("unit_edu", "/desk", "承办工作台"),
    ("coordinator", "/coordinator", "区妇儿工委办公室"),
    ("admin", "/admin", "系统管理"),
])
def test_role_lands_on_an_accessible_page(live_server, page, username, landing, heading):
    page.goto(live_server + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server + landing)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)
    assert too_small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_public_pages_have_thumb_sized_targets(live_server, page):
    for path in ["/", "/ideas/", "/councils/", "/plan/", "/plan/tasks/35", "/units/", "/login"]:
        page.goto(live_server + path)
        assert too_small_targets(page) == [], path


def test_consent_page_is_accessible(live_server, browser):
    from tests.browser.conftest import signed_in

    context, page, errors = signed_in(browser, live_server, "teacher", english=False)
    page.goto(live_server + "/teacher")
    page.get_by_label("按昵称、真实姓名或班级查找孩子").fill("小树苗")  # a teacher finds the child, then records
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="记录小树苗的监护人答复").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("小树苗")
    assert_accessible(page)
    assert too_small_targets(page) == []
    page.get_by_role("textbox", name="监护人姓名").fill("赵爸爸")
    page.locator("input[name=method][value=paper]").check()
    page.locator("input[name=decision][value=granted]").check()
    page.get_by_role("button", name="记录答复").click()
    expect(page.get_by_text("小树苗的监护人答复已记录")).to_be_visible()
    context.close()
    assert errors == []
