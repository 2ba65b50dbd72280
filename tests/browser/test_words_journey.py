"""Issue 19 item 3 in the browser: a child at 360 px reads an answered idea and a session in a child's words."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.sessions.models import AgendaItem
from council.tasks.models import Task, TaskState
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in


def test_a_child_reads_the_answer_and_the_vote_in_a_childs_words(browser, live_server):
    task = db.session.scalars(select(Task).where(Task.state == TaskState.replied).order_by(Task.id)).first()
    item = db.session.scalars(select(AgendaItem).where(AgendaItem.proposal_id.is_not(None))
                              .order_by(AgendaItem.id)).first()
    context, page, errors = signed_in(browser, live_server, "child", english=False)
    page.goto(f"{live_server}/ideas/{task.proposal_id}")
    answer = page.locator(".unit-answer").filter(has_text=task.unit.name).first
    expect(answer).to_contain_text("已经答复了")
    expect(answer).to_contain_text({"A": "已经办好了！", "B": "正在办，或者已经排进计划", "C": "以后会办",
                                    "D": "现在办不到，写了原因"}[task.grade.value])
    expect(answer).not_to_contain_text({"A": "A · 已解决", "B": "B · 正在办理或已列入计划", "C": "C · 以后再办",
                                        "D": "D · 无法办理"}[task.grade.value])
    assert_accessible(page)
    page.goto(f"{live_server}/sessions/{item.session_id}")
    expect(page.get_by_text("同意", exact=False).first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("弃权")
    assert_accessible(page)
    context.close()
    assert errors == []
