"""A child asks for help from an idea page and an adult answers; three reports hide an idea until it is kept."""

from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

MESSAGE = "Someone wrote my real name in a comment on this idea."
NOTE = "We took it away and talked to your teacher. Thank you for telling us!"


def test_child_asks_for_help_and_the_facilitator_closes_it(browser, live_server):
    swing = db.session.scalar(select(Proposal).where(Proposal.title == "公园里的秋千坏了"))
    child_context, child, child_errors = signed_in(browser, live_server, "child")
    child.goto(f"{live_server}/ideas/{swing.id}")
    child.get_by_role("link", name="I need help / report").click()
    expect(child.get_by_role("heading", level=1)).to_contain_text("I need help / report")
    assert_accessible(child)
    child.get_by_label("Something on this page is not OK").check()
    child.get_by_label("Do you want to tell us more?").fill(MESSAGE)
    child.get_by_role("button", name="Send to an adult").click()
    expect(child.get_by_text("An adult has been told")).to_be_visible()
    expect(child.get_by_text("12355").first).to_be_visible()
    assert_accessible(child)

    fac_context, fac, fac_errors = signed_in(browser, live_server, "facilitator")
    fac.goto(live_server + "/help-requests")
    assert_accessible(fac)
    fac.get_by_role("link", name="Something on this page is not OK").click()
    expect(fac.get_by_text(MESSAGE)).to_be_visible()
    expect(fac.get_by_role("link", name=f"/ideas/{swing.id}")).to_be_visible()
    fac.get_by_role("button", name="Mark as seen").click()
    fac.get_by_label("A note for the child").fill(NOTE)
    assert_accessible(fac)
    fac.get_by_role("button", name="Close with this note").click()
    expect(fac.get_by_text("Closed. The child can read your note.")).to_be_visible()

    child.goto(live_server + "/help/mine")
    card = child.locator(".idea-card", has_text=MESSAGE)
    expect(card.get_by_text("Done", exact=True)).to_be_visible()
    expect(card.get_by_text(NOTE)).to_be_visible()
    for context in (child_context, fac_context):
        context.close()
    assert child_errors == [] and fac_errors == []


def test_three_reports_hide_an_idea_until_the_facilitator_keeps_it(browser, live_server, page):
    title = "学校旁边的路口需要红绿灯"
    crossing = db.session.scalar(select(Proposal).where(Proposal.title == title))
    search = f"{live_server}/ideas/?q=红绿灯"
    page.goto(search)
    expect(page.get_by_role("link", name=title)).to_be_visible()

    contexts = []
    for n, username in enumerate(("teen", "kid05", "kid06"), start=1):
        context, reader, errors = signed_in(browser, live_server, username)
        contexts.append((context, errors))
        reader.goto(f"{live_server}/ideas/{crossing.id}")
        reader.get_by_role("link", name="Report this idea").click()
        if n == 1:
            assert_accessible(reader)
        reader.get_by_label("It has unkind words").check()
        reader.get_by_role("button", name="Send the report").click()
        expected = "It is hidden now" if n == 3 else "An adult will check it"
        expect(reader.get_by_text(expected)).to_be_visible()

    page.goto(search)
    expect(page.get_by_role("link", name=title)).to_have_count(0)

    fac_context, fac, fac_errors = signed_in(browser, live_server, "facilitator")
    fac.goto(f"{live_server}/ideas/{crossing.id}")
    expect(fac.get_by_text("Hidden while an adult checks it")).to_be_visible()
    with fac.expect_navigation():
        fac.get_by_role("link", name="3 reports to check").click()
    assert_accessible(fac)
    item = fac.locator(".idea-card", has_text=title)
    expect(item.get_by_text("Hidden")).to_be_visible()
    item.get_by_role("button", name="Keep it public").click()
    expect(fac.get_by_text("is public again")).to_be_visible()

    page.goto(search)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    fac_context.close()
    for context, errors in contexts:
        context.close()
        assert errors == []
    assert fac_errors == []
