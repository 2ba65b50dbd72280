"""Issue 19 item 8 in the browser: a unit answers with a photo of the result (1280 px); the child who raised the idea
(360 px, on a phone) and a visitor see the photo on the idea's page — not only the unit that uploaded it."""

from __future__ import annotations

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.tasks.models import Task, TaskState
from council.units.models import Unit
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in, watch_errors

ANSWER = "我们已经换好了新的路灯，晚上放学的路亮了。"


def _photo(tmp_path):
    path = tmp_path / "lamp.jpg"
    Image.new("RGB", (800, 600), (250, 200, 60)).save(path, "JPEG")
    return path


def _loaded(page, name):
    image = page.get_by_role("img", name=name)
    expect(image).to_be_visible()
    handle = image.element_handle()
    page.wait_for_function("img => img.complete", arg=handle)  # loaded or failed: visible comes before either
    assert handle.evaluate("img => img.naturalWidth > 0"), f"{name}: the picture did not load"


def test_the_child_and_the_public_see_the_units_photo_of_the_result(browser, live_server, tmp_path):
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    task = db.session.scalar(select(Task).where(Task.unit_id == edu.id, Task.state == TaskState.dispatched)
                             .order_by(Task.id))
    idea_id, author = task.proposal_id, task.proposal.authors[0].username

    unit_ctx, unit, unit_errors = signed_in(browser, live_server, "unit_edu")
    unit.set_viewport_size({"width": 1280, "height": 900})
    unit.goto(f"{live_server}/tasks/{task.id}")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Acknowledge", exact=True).click()
    unit.get_by_label("A · Solved").check()
    unit.get_by_label("The answer for children").fill(ANSWER)
    unit.get_by_label("A photo of the result (optional)").set_input_files(str(_photo(tmp_path)))
    unit.get_by_label("What does the photo show?").fill("新换的路灯")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Send the answer").click()
    expect(unit.get_by_text(ANSWER).first).to_be_visible()
    assert_accessible(unit)

    child_ctx, child, child_errors = signed_in(browser, live_server, author, english=False)
    child.goto(f"{live_server}/ideas/{idea_id}")
    expect(child.get_by_text(ANSWER)).to_be_visible()
    _loaded(child, "新换的路灯")
    assert_accessible(child)

    visitor_ctx = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    visitor = visitor_ctx.new_page()
    visitor_errors = watch_errors(visitor)
    visitor.goto(f"{live_server}/ideas/{idea_id}")
    _loaded(visitor, "新换的路灯")

    for context, errors in ((unit_ctx, unit_errors), (child_ctx, child_errors), (visitor_ctx, visitor_errors)):
        context.close()
        assert errors == []
