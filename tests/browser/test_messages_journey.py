"""Issue 19 item 2 in the browser: a child at 360 px reads one idea's news as one thread; an adult at 1280 px
chooses one mail a day for a kind of message."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.operations import find_account
from council.extensions import db
from council.notifications.models import NotificationPreference
from council.notifications.operations import threads, unread_count
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in


def test_a_child_reads_an_ideas_news_as_one_thread_and_the_bell_empties(browser, live_server):
    child = find_account("child")
    busiest = max(threads(child), key=lambda thread: thread.unread)
    assert busiest.unread > 1
    context, page, errors = signed_in(browser, live_server, "child", english=False)
    page.goto(live_server + "/notifications")
    card = page.locator(".idea-card").filter(has_text=f"“{busiest.title}”有 {busiest.unread} 条新消息")
    expect(card).to_have_count(1)
    assert_accessible(page)
    earlier = card.locator("details.earlier-messages")
    earlier.locator("summary").click()
    expect(earlier.locator("li").first).to_be_visible()
    assert earlier.locator("li").count() == len(busiest.messages) - 1
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".tag", has_text="新")).to_have_count(0)
    db.session.expire_all()
    assert unread_count(child) == 0
    context.close()
    assert errors == []


def test_an_adult_chooses_one_mail_a_day_for_new_ideas_to_check(browser, live_server):
    context, page, errors = signed_in(browser, live_server, "facilitator", english=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/notifications")
    with page.expect_navigation():
        page.get_by_role("link", name="选择哪些消息同时发邮件").click()
    assert_accessible(page)
    group = page.get_by_role("group", name="有新建议等待审核")
    group.get_by_label("每天一封汇总邮件").check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存：改了 1 项。")).to_be_visible()
    expect(page.get_by_role("group", name="有新建议等待审核").get_by_label("每天一封汇总邮件")).to_be_checked()
    facilitator = find_account("facilitator")
    db.session.expire_all()
    assert [(p.kind, p.delivery) for p in db.session.scalars(select(NotificationPreference).where(
        NotificationPreference.account_id == facilitator.id))] == [("proposal_to_screen", "digest")]
    context.close()
    assert errors == []
