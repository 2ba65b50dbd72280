"""A set-password link (issue 21): the office, at 1280 px, gives the demo teacher a new link and opens the sheet to
print; the teacher, on a phone at 360 px, opens the link, chooses a password and lands signed in; the link opened
again says it was used."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in, watch_errors

PASSWORD = "我家门口有一棵老槐树呢"


def test_the_office_gives_a_link_and_the_adult_sets_a_password_with_it(browser, live_server):
    context, page, errors = signed_in(browser, live_server, "coordinator", english=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.get_by_role("link", name="成人账号：新的设置密码链接").click()
    assert_accessible(page)
    page.get_by_label("按名字、用户名或电子邮箱查找成人").fill("teacher")
    with page.expect_navigation():
        page.get_by_role("button", name="搜索").click()
    with page.expect_navigation():
        page.get_by_role("button", name="为 示例小学 王老师 打印新链接").click()
    expect(page.get_by_role("heading", name="设置密码通知单")).to_be_visible()
    expect(page.get_by_role("heading", name="给 示例小学 王老师")).to_be_visible()
    expect(page.locator(".welcome-qr svg")).to_be_visible()
    assert_accessible(page)
    link = page.locator(".welcome-link").inner_text().strip()
    assert link.startswith(live_server + "/welcome/")
    context.close()
    assert errors == []

    phone = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = phone.new_page()
    errors = watch_errors(page)
    page.goto(link)
    expect(page.get_by_role("heading", name="设置你的密码")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("teacher")
    assert_accessible(page)
    page.get_by_label("新密码", exact=True).fill("teacher")
    page.get_by_label("再次输入新密码").fill("teacher")
    with page.expect_navigation():
        page.get_by_role("button", name="设置密码并登录").click()
    expect(page.locator("#password-error")).to_contain_text("密码")
    assert_accessible(page)
    page.get_by_label("新密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入新密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_text("密码已设置。以后请用用户名 teacher 和这个密码登录。")).to_be_visible()
    assert page.url == live_server + "/teacher"
    assert_accessible(page)

    page.goto(link)
    expect(page.get_by_role("heading", name="这个设置密码链接不能使用")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("这个链接已经用过")
    assert_accessible(page)
    phone.close()
    assert errors == []
