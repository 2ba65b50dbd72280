"""Issue 19 items 9 and 10 in the browser, adults at 1280 px: a facilitator, a unit and the office each read what
waits for them on their home page and follow one count to its list, which shows as many rows; the office moves a
campaign on through the page that asks first, and sees the phase end today."""

from __future__ import annotations

import re

from babel.dates import format_date
from playwright.sync_api import expect

from council.calendar import clock
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in


def adult(browser, live_server, username, landing):
    context, page, errors = signed_in(browser, live_server, username)
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page).to_have_url(live_server + landing)
    return context, page, errors


def follow(page, link_name: re.Pattern, rows: str) -> None:
    """Read the count in the link, follow it, and find as many rows on the list."""
    link = page.locator("section[aria-labelledby=waiting]").get_by_role("link", name=link_name)
    count = int(re.match(r"\d+", link.inner_text().strip()).group())
    assert count > 0, link.inner_text()
    with page.expect_navigation():
        link.click()
    expect(page.locator(rows)).to_have_count(count)
    assert_accessible(page)


def test_each_adult_reads_what_waits_and_the_office_moves_a_campaign_on(browser, live_server):
    people = []

    context, facilitator, errors = adult(browser, live_server, "facilitator", "/facilitator")
    people.append((context, errors))
    waiting = facilitator.locator("section[aria-labelledby=waiting]")
    expect(waiting.get_by_role("heading", name="Waiting for you")).to_be_visible()
    for words in ("ideas? to check", "ideas? sent again after changes", "help requests? not done yet",
                  "reported items? to check", "sessions? being prepared in"):
        expect(waiting.get_by_role("link", name=re.compile(words)).first).to_be_visible()
    assert_accessible(facilitator)
    follow(facilitator, re.compile(r"^\d+ ideas? to check$"), "main .idea-card")
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Ideas to check")

    context, unit, errors = adult(browser, live_server, "unit_edu", "/desk")
    people.append((context, errors))
    waiting = unit.locator("section[aria-labelledby=waiting]")
    for words in ("tasks? due within 3 working days", "tasks? overdue", "tasks? came back to you"):
        expect(waiting.get_by_role("link", name=re.compile(words))).to_be_visible()
    assert_accessible(unit)
    follow(unit, re.compile(r"^\d+ tasks? overdue$"), "main .idea-card")
    expect(unit.get_by_role("link", name="Overdue", exact=True)).to_have_attribute("aria-current", "page")

    context, office, errors = adult(browser, live_server, "coordinator", "/coordinator")
    people.append((context, errors))
    waiting = office.locator("section[aria-labelledby=waiting]")
    expect(waiting.get_by_role("link", name=re.compile("requests for more time"))).to_be_visible()
    expect(office.locator("section[aria-labelledby=overdue]").get_by_role("link").first).to_be_visible()
    assert_accessible(office)
    follow(office, re.compile(r"^\d+ ideas to send to units$"), "main > .idea-list > .idea-card")  # not #ext

    # The school's drawing campaign, open for entries: the office moves it on early, and is asked first.
    office.goto(live_server + "/campaigns/")
    with office.expect_navigation():
        office.get_by_role("link", name="画出我心中的儿童友好校园").click()
    planned = office.locator("dt:text-is('Entries close') + dd").inner_text()
    today = format_date(clock.today(), "medium", locale="en")
    assert planned != today
    with office.expect_navigation():
        office.get_by_role("link", name="Move on to: Entries being checked").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Move the campaign on?")
    expect(office.get_by_text("Entries will close and the checking of the entries begins.")).to_be_visible()
    expect(office.get_by_text("This step cannot be undone.")).to_be_visible()
    expect(office.get_by_text(f"“Entries close on” changes from {planned} to today, {today}.")).to_be_visible()
    assert_accessible(office)
    with office.expect_navigation():
        office.get_by_role("button", name="Yes, move on to: Entries being checked").click()
    expect(office.get_by_text("The campaign is now: Entries being checked.")).to_be_visible()
    expect(office.locator("dt:text-is('Entries close') + dd")).to_have_text(today)
    expect(office.locator("[aria-current=step]")).to_have_text("Entries being checked")
    assert_accessible(office)

    for context, errors in people:
        context.close()
        assert errors == []
