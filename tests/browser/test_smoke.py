"""The first journey anyone takes: home → English → sign in as a demo child → sign out."""

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_menu

DEMO_PASSWORD = "zhoucun2026"


def test_home_language_sign_in_and_out(live_server, page):
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("周村区儿童议事会")
    expect(page.get_by_role("link", name="萌水镇儿童议事会")).to_be_visible()
    assert_accessible(page)

    open_menu(page)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zhoucun Children's Council")
    expect(page.get_by_role("link", name="Mengshui Town Children's Council")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("Username").fill("child")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.get_by_label("Username")).to_have_value("child")  # nothing typed is lost
    assert_accessible(page)

    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server + "/me")
    expect(page.get_by_role("heading", level=1)).to_contain_text("小星星")
    expect(page.get_by_text("You are ready to take part")).to_be_visible()
    assert_accessible(page)

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert_accessible(page)


def test_child_without_consent_is_told_kindly_in_chinese(live_server, page):
    page.goto(live_server + "/login")
    page.get_by_label("用户名").fill("child_waiting")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="正在等监护人同意")).to_be_visible()
    assert_accessible(page)


def test_pages_fit_a_360px_phone(live_server, page):
    pages = ["/", "/ideas/", "/ideas/?q=公园", "/councils/", "/plan/", "/plan/tasks/27", "/units/", "/login",
             "/privacy"]
    for path in pages:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        assert_accessible(page)
