"""Issue 21 item 4 in the browser: a district that is not Zhoucun. The invented 梁山区 (tests/data/districts/) is set
up with ``flask --app council setup --district`` on an empty database; its coordinator chooses a password with the
printed link, and the whole idea loop runs there: a child writes an idea on a phone (360 px), the facilitator
publishes it, the town council votes and adopts it, the office routes it to a unit, the unit answers and the child
reads the answer. Every page carries the district's own title; adults at 1280 px."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.models import MembershipRole
from council.accounts.operations import add_membership, add_unit_staff
from council.calendar import clock
from council.councils.models import Council
from council.extensions import db
from council.units.models import Unit
from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_a_session_vote, signed_in
from tests.conftest import PASSWORD
from tests.districts.conftest import NEW_PASSWORD, set_up_liangshan

TITLE, TITLE_ZH = "Liangshan Children's Council", "梁山区儿童议事会"
IDEA = "河边要装栏杆"
ANSWER = "我们已经在清河边装好了栏杆，放学路上更安全了。"
ZHOUCUN = re.compile("周村|Zhoucun", re.IGNORECASE)


def _the_people(make):
    """The town council's facilitator, the child who writes the idea, three council members and the education
    bureau's staff member, made as the office would (tests/factories.py)."""
    qinghe = db.session.scalar(select(Council).where(Council.code == "qinghe"))
    make.adult("ls_facilitator", role="facilitator", council=qinghe, name="张辅导员")
    make.child(qinghe, username="xiaohe", nickname="小河")
    for n in range(1, 4):
        member = make.child(qinghe, username=f"ls_kid{n}", nickname=f"议事员{n}")
        add_membership(member, qinghe, MembershipRole.member, starts_on=date(2020, 1, 1))
    staff = make.adult("ls_edu", name="王老师")
    add_unit_staff(staff, db.session.scalar(select(Unit).where(Unit.name == "梁山区教育局")),
                   starts_on=date(2020, 1, 1))
    db.session.commit()
    return qinghe


def _adult(browser, server, username, password=PASSWORD):
    context, page, errors = signed_in(browser, server, username, password=password)
    page.set_viewport_size({"width": 1280, "height": 900})
    return context, page, errors


def _header(page, title):
    expect(page.locator("header .brand")).to_have_text(title)
    assert not ZHOUCUN.search(page.content())


def test_an_invented_district_runs_the_whole_idea_loop(app, browser, empty_live_server, make):
    server = empty_live_server
    link = set_up_liangshan(app.test_cli_runner())
    qinghe = _the_people(make)

    # The coordinator opens the printed link, chooses a password and is signed in.
    office_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    office_ctx.request.get(server + "/lang/en")
    office = office_ctx.new_page()
    office.goto(server + "/" + link.split("/", 3)[3])
    _header(office, TITLE)
    assert_accessible(office)
    office.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    office.get_by_label("New password again").fill(NEW_PASSWORD)
    with office.expect_navigation():
        office.get_by_role("button", name="Set my password and sign in").click()
    _header(office, TITLE)
    expect(office).to_have_title(re.compile(f"· {TITLE}$"))

    # The child writes an idea on a phone, in Chinese, under the district's own title.
    child_ctx, child, child_errors = signed_in(browser, server, "xiaohe", english=False, password=PASSWORD)
    child.goto(server + "/ideas/new")
    _header(child, TITLE_ZH)
    assert_accessible(child)
    child.get_by_role("button", name="开始写新建议").click()
    child.get_by_role("textbox", name="什么问题").fill("清河边没有栏杆，小朋友走路很危险。")
    child.get_by_role("textbox", name="给你的建议起个短名字").fill(IDEA)
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="在哪里").fill("清河镇小学旁边的河边")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="你有什么建议").fill("在河边装上结实的栏杆。")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="它能帮到谁").fill("每天走河边上学的同学")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("button", name="下一步").click()  # no picture
    # the topics are the district's own plan: its areas by their names, its tasks
    child.get_by_text("儿童友好空间").click()
    child.get_by_label("校园周边安全").check()
    assert_accessible(child)
    with child.expect_navigation():
        child.get_by_role("button", name="下一步").click()
    child.get_by_role("button", name="提交我的建议").click()
    expect(child.get_by_text("辅导员正在看")).to_be_visible()
    idea_url = child.url

    # The town council's facilitator publishes it and puts it to the council's vote.
    fac_ctx, fac, fac_errors = _adult(browser, server, "ls_facilitator")
    with fac.expect_navigation():
        fac.goto(server + "/moderation")
    _header(fac, TITLE)
    with fac.expect_navigation():
        fac.get_by_role("link", name=IDEA).click()
    assert_accessible(fac)
    with fac.expect_navigation():
        fac.get_by_role("button", name="Make it public").click()
    fac.goto(f"{server}/councils/{qinghe.id}/sessions/new")
    assert_accessible(fac)
    session_url = open_a_session_vote(fac, (IDEA,), title="清河镇儿童议事会第一次会议",
                                      place="镇政府会议室", day=clock.today())
    assert_accessible(fac)

    voters = []
    for n in range(1, 4):
        ctx, page, errors = signed_in(browser, server, f"ls_kid{n}", english=False, password=PASSWORD)
        page.goto(session_url + "/vote")
        _header(page, TITLE_ZH)
        if n == 1:
            assert_accessible(page)
        page.locator("section", has_text=IDEA).get_by_role("button", name="赞成").click()
        page.get_by_role("button", name="确定，投出我的票").click()
        expect(page.get_by_text("你的票已经记下了。谢谢你！")).to_be_visible()
        voters.append((ctx, errors))

    fac.reload()
    fac.locator("[id^=item-]", has_text=IDEA).get_by_role("button", name="Close the vote and count").click()
    fac.get_by_role("button", name="Close the session").last.click()
    fac.goto(session_url)
    expect(fac.get_by_text("Yes 3 · No 0 · Did not choose 0")).to_be_visible()

    # The office routes the adopted idea to the district's education bureau.
    with office.expect_navigation():
        office.goto(server + "/routing")
    assert_accessible(office)
    with office.expect_navigation():
        office.get_by_role("link", name=IDEA).click()
    lead = office.locator("fieldset", has_text="Lead unit")
    lead.get_by_text("Another unit").click()
    lead.get_by_label("Liangshan Education Bureau").check()
    assert_accessible(office)
    with office.expect_navigation():
        office.get_by_role("button", name="Send to the units").click()
    expect(office.get_by_text("on its way to the units")).to_be_visible()

    # The bureau answers at its desk.
    unit_ctx, unit, unit_errors = _adult(browser, server, "ls_edu")
    with unit.expect_navigation():
        unit.goto(server + "/desk")
    _header(unit, TITLE)
    assert_accessible(unit)
    with unit.expect_navigation():
        unit.get_by_role("link", name=IDEA).first.click()
    with unit.expect_navigation():
        unit.get_by_role("button", name="Acknowledge", exact=True).click()
    unit.get_by_label("A · Solved").check()
    unit.get_by_label("The answer for children").fill(ANSWER)
    with unit.expect_navigation():
        unit.get_by_role("button", name="Send the answer").click()
    expect(unit.get_by_text(ANSWER).first).to_be_visible()
    assert_accessible(unit)

    # The child reads the answer on the idea's page.
    with child.expect_navigation():
        child.goto(idea_url)
    expect(child.get_by_text(ANSWER)).to_be_visible()
    _header(child, TITLE_ZH)
    expect(child.locator("footer")).to_contain_text("梁山区妇女儿童工作委员会主办的平台")
    assert_accessible(child)

    office_ctx.close()
    for context, errors in [(child_ctx, child_errors), (fac_ctx, fac_errors), (unit_ctx, unit_errors), *voters]:
        context.close()
        assert errors == []
