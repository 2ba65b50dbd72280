"""Issue 20 item 2 in the browser: a teacher at 1280 px prints the council's "扫码提建议" poster, the paper idea
sheet and an idea's poster; each is one A4 sheet without the screen's tools when printed."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from council.councils.models import Council
from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

A4_PX = 1123  # 297 mm at 96 px per inch


def _printed(page) -> None:
    """As the printer gets it: the screen's tools hidden, the sheet no taller than one A4 page."""
    page.emulate_media(media="print")
    expect(page.locator("nav.screen-only")).to_be_hidden()
    assert page.locator("main.sheet").bounding_box()["height"] <= A4_PX
    page.emulate_media(media="screen")


def test_a_teacher_prints_the_councils_poster_the_paper_sheet_and_an_ideas_poster(browser, live_server):
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    idea = db.session.scalar(select(Proposal).where(Proposal.title == "公园里的秋千坏了"))
    context, page, errors = signed_in(browser, live_server, "teacher", english=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/councils/{school.id}")
    with page.expect_navigation():
        page.get_by_role("link", name="海报：扫码提建议").click()
    expect(page.get_by_role("heading", name="扫码提建议")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    assert page.locator("svg.qr").bounding_box()["width"] > 300
    assert_accessible(page)
    _printed(page)
    with page.expect_navigation():
        page.get_by_role("link", name="纸质建议单").click()
    expect(page.get_by_role("heading", name="我的金点子")).to_be_visible()
    expect(page.locator(".box")).to_have_count(6)
    assert_accessible(page)
    _printed(page)

    page.goto(f"{live_server}/ideas/{idea.id}")
    with page.expect_navigation():
        page.get_by_role("link", name="打印这条建议的海报").click()
    expect(page.get_by_role("heading", name="公园里的秋千坏了")).to_be_visible()
    expect(page.get_by_text("你也这样想吗？来支持这条建议！")).to_be_visible()
    assert_accessible(page)
    _printed(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="二维码图片，给印刷店用（PNG）").click()
    assert download.value.suggested_filename == f"qr-idea-{idea.id}.png"
    context.close()
    assert errors == []
