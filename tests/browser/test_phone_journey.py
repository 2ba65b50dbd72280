"""A child on a 360 × 780 phone, in Chinese: the header leaves the screen to the page (the menu opens from a
button, with and without JavaScript; the bell and help stay in sight), and the idea wizard forgives — a picture
chosen but not added goes along with 下一步, 修改 on the check page comes back to it, the steps fit one line
(issue 19 items 1 and 4)."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_menu, watch_errors
from tests.browser.test_role_pages import too_small_targets

PHONE = {"width": 360, "height": 780}
HEADER_AT_MOST = 120
DEMO_PASSWORD = "zhoucun2026"



def child_on_a_phone(browser, live_server, *, script=True):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=script)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(live_server + "/login")
    page.get_by_label("用户名").fill("child")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    return context, page, errors


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def assert_header_leaves_the_screen_to_the_page(page) -> None:
    assert header_height(page) <= HEADER_AT_MOST, (page.url, header_height(page))
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="消息")).to_be_visible()  # the bell, with the unread count
    expect(header.get_by_role("link", name="我需要帮助／举报")).to_be_visible()
    expect(header.get_by_text("菜单", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()  # until the menu button is tapped


def stepper_fits_one_line(page) -> None:
    stepper = page.locator("ol.stepper")
    assert stepper.evaluate("el => el.scrollWidth <= el.clientWidth"), page.url
    tops = stepper.locator("li").evaluate_all("items => items.map(li => li.getBoundingClientRect().top)")
    assert len(tops) == 7 and len(set(tops)) == 1, tops
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_header_leaves_a_phone_screen_to_the_page(browser, live_server):
    public_idea = db.session.scalar(select(Proposal.id).where(Proposal.is_public).order_by(Proposal.id))
    context, page, errors = child_on_a_phone(browser, live_server)
    expect(page).to_have_url(live_server + "/me")
    with page.expect_navigation():
        page.get_by_role("link", name="我有一个金点子！").click()
    with page.expect_navigation():
        page.get_by_role("button", name="开始写新建议").click()
    wizard_step = page.url
    for path in ("/", "/me", f"/ideas/{public_idea}", wizard_step):
        page.goto(path if path.startswith("http") else live_server + path)
        assert_header_leaves_the_screen_to_the_page(page)
        assert_accessible(page)

    # the menu opens from its button and holds every link it held before, each of which works
    page.goto(live_server + "/me")
    page.get_by_text("菜单", exact=True).click()
    menu = page.get_by_role("navigation", name="主导航")
    expect(menu).to_be_visible()
    for name in ("首页", "建议", "我的主页", "我的建议", "我的作品", "统计", "English"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="退出登录")).to_be_visible()
    assert too_small_targets(page) == []
    assert_accessible(page)
    for href in menu.get_by_role("link").evaluate_all("links => links.map(a => a.href)"):
        if "/lang/" not in href:  # the language switch is followed below, it would change the language
            assert page.request.get(href).status == 200, href
    with page.expect_navigation():
        menu.get_by_role("link", name="我的建议", exact=True).click()
    expect(page).to_have_url(live_server + "/my/ideas")
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()  # closed again on the next page

    with page.expect_navigation():
        page.get_by_role("link", name="消息").click()
    expect(page).to_have_url(live_server + "/notifications")
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server + "/notifications")
    expect(page.locator("header").get_by_role("link", name="Messages")).to_be_visible()
    context.close()
    assert errors == []


def test_the_menu_opens_without_javascript(browser, live_server):
    context, page, errors = child_on_a_phone(browser, live_server, script=False)
    expect(page).to_have_url(live_server + "/me")
    assert_header_leaves_the_screen_to_the_page(page)
    page.get_by_text("菜单", exact=True).click()
    menu = page.get_by_role("navigation", name="主导航")
    expect(menu).to_be_visible()
    with page.expect_navigation():
        menu.get_by_role("link", name="统计", exact=True).click()
    expect(page).to_have_url(live_server + "/stats")
    page.get_by_text("菜单", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录").click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()
    context.close()
    assert errors == []


def test_the_menu_stays_open_on_a_wide_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(live_server + "/")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="统计", exact=True)).to_be_visible()
    expect(page.get_by_text("菜单", exact=True)).to_be_hidden()
    assert_accessible(page)
    context.close()
    assert errors == []


def test_the_wizard_keeps_a_chosen_picture_and_edits_come_back_to_the_check_page(browser, live_server, drawing):
    context, page, errors = child_on_a_phone(browser, live_server)
    page.goto(live_server + "/ideas/new")
    with page.expect_navigation():
        page.get_by_role("button", name="开始写新建议").click()
    stepper_fits_one_line(page)
    assert_header_leaves_the_screen_to_the_page(page)
    page.get_by_role("textbox", name="给你的建议起个短名字").fill("操场的灯太暗")
    page.get_by_role("textbox", name="什么问题").fill("冬天放学时操场很黑。")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("textbox", name="在哪里").fill("学校操场")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("textbox", name="你有什么建议").fill("多装两盏灯。")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("textbox", name="它能帮到谁").fill("放学晚的同学")
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()

    # step 5: a picture chosen, then 下一步 without 添加到我的建议
    expect(page.get_by_role("heading", level=1)).to_contain_text("第5步")
    stepper_fits_one_line(page)
    assert_accessible(page)
    page.locator("input[name=picture]").set_input_files(str(drawing))
    page.get_by_role("textbox", name="图片上有什么").fill("黑黑的操场")
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第6步")
    expect(page.get_by_text("已经添加到你的建议里了。")).to_be_visible()
    stepper_fits_one_line(page)
    page.get_by_text("其他", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()

    # the check page shows the picture
    expect(page).to_have_url(re.compile(r"/ideas/\d+/step/7$"))
    expect(page.get_by_role("img", name="黑黑的操场")).to_be_visible()
    expect(page.get_by_text("已添加 1 个")).to_be_visible()
    stepper_fits_one_line(page)
    assert_accessible(page)

    # 修改 one part: saved, and straight back to the check page
    with page.expect_navigation():
        page.locator("dt", has_text="建议").get_by_role("link", name="修改").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第3步")
    expect(page.get_by_role("button", name="上一步")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("textbox", name="你有什么建议").fill("在操场四个角各装一盏太阳能灯。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存，回到检查页").click()
    expect(page).to_have_url(re.compile(r"/ideas/\d+/step/7$"))
    expect(page.get_by_text("在操场四个角各装一盏太阳能灯。")).to_be_visible()
    expect(page.get_by_role("img", name="黑黑的操场")).to_be_visible()
    context.close()
    assert errors == []


def test_enter_goes_forward_and_the_step_numbers_keep_what_was_typed_or_chosen(browser, live_server, drawing):
    """Without JavaScript, so that nothing but the forms keeps the child's words: Enter in a field is 下一步 (not
    上一步, the first button of the form), and a step's number above the form saves the step before it leaves,
    with a chosen picture too."""
    context, page, errors = child_on_a_phone(browser, live_server, script=False)
    page.goto(live_server + "/ideas/new")
    with page.expect_navigation():
        page.get_by_role("button", name="开始写新建议").click()
    page.get_by_role("textbox", name="什么问题").fill("晚上小区门口很黑。")
    title = page.get_by_role("textbox", name="给你的建议起个短名字")
    title.fill("门口的路灯")
    with page.expect_navigation():
        title.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第2步")
    place = page.get_by_role("textbox", name="在哪里")
    place.fill("小区北门")
    with page.expect_navigation():
        place.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第3步")

    # typed, not sent with 下一步: the number of step 1 takes the words along
    page.get_by_role("textbox", name="你有什么建议").fill("装一盏太阳能路灯。")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^第1步")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第1步")  # axe needs scripts: the test above
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^第3步")).click()
    expect(page.get_by_role("textbox", name="你有什么建议")).to_have_value("装一盏太阳能路灯。")
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()
    page.get_by_role("textbox", name="它能帮到谁").fill("晚上回家的人")
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()

    # a picture chosen on step 5, then the number of step 2: the picture is added on the way
    expect(page.get_by_role("heading", level=1)).to_contain_text("第5步")
    page.locator("input[name=picture]").set_input_files(str(drawing))
    page.get_by_role("textbox", name="图片上有什么").fill("黑黑的门口")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^第2步")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第2步")
    expect(page.get_by_role("textbox", name="在哪里")).to_have_value("小区北门")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^第5步")).click()
    expect(page.get_by_role("img", name="黑黑的门口")).to_be_visible()
    context.close()
    assert errors == []
