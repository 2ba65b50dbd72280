"""An adopted idea goes to units, comes back once, is answered twice and closed by the child's verdict."""

from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_menu, signed_in

DEMO_PASSWORD = "zhoucun2026"
HOUSING = "District Housing and Urban-Rural Development Bureau"
TRAFFIC = "Zhoucun Traffic Police Brigade"
CITY = "District Comprehensive Administrative Law Enforcement Bureau"
ANSWER = "We repaired the swing and checked the chains of every swing in the park. Go and play!"


def open_task(page, live_server, title):
    page.goto(live_server + "/desk")
    page.get_by_role("link", name=title).first.click()


def answer(page, grade="A · Solved"):
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    page.get_by_label("What has been done").fill("We sent a worker to look at the swing today.")
    page.get_by_role("button", name="Post progress").click()
    page.get_by_label(grade).check()
    page.get_by_label("The answer for children").fill(ANSWER)
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Your answer is sent.")).to_be_visible()


def test_route_return_reroute_answer_reopen_answer_close(browser, live_server):
    swing = db.session.scalar(select(Proposal).where(Proposal.title == "公园里的秋千坏了"))
    idea_url = f"{live_server}/ideas/{swing.id}"
    people = {name: signed_in(browser, live_server, name)
              for name in ("coordinator", "unit_housing", "unit_traffic", "unit_city", "child")}
    coordinator = people["coordinator"][1]

    open_menu(coordinator)
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Routing").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="公园里的秋千坏了").click()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_text("Another unit").click()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_label(HOUSING).check()
    coordinator.locator("fieldset", has_text="Co-units").get_by_text("Another unit").click()
    coordinator.locator("fieldset", has_text="Co-units").get_by_label(TRAFFIC).check()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Send to the units").click()
    expect(coordinator.get_by_text("on its way to the units")).to_be_visible()

    housing = people["unit_housing"][1]
    open_task(housing, live_server, "公园里的秋千坏了")
    assert_accessible(housing)
    housing.get_by_label("Reason, so the office can find the right unit").fill("Parks are looked after by the "
                                                                                 "law enforcement bureau.")
    housing.get_by_role("button", name="Send back", exact=True).click()

    coordinator.goto(live_server + "/routing")
    coordinator.get_by_role("link", name="公园里的秋千坏了").click()
    expect(coordinator.get_by_text("Parks are looked after")).to_be_visible()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_text("Another unit").click()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_label(CITY).check()
    coordinator.get_by_role("button", name="Send to the units").click()

    open_task(people["unit_traffic"][1], live_server, "公园里的秋千坏了")
    answer(people["unit_traffic"][1], "B · Being done or planned")
    city = people["unit_city"][1]
    open_task(city, live_server, "公园里的秋千坏了")
    answer(city)
    assert_accessible(city)

    child = people["child"][1]
    child.goto(idea_url)
    expect(child.get_by_text(ANSWER).first).to_be_visible()
    expect(child.locator(".timeline")).to_contain_text(f"{CITY} received your idea")
    child.get_by_label("Not satisfied").check()
    child.get_by_label("Tell us more").fill("The swing broke again the next day.")
    assert_accessible(child)
    child.get_by_role("button", name="Send my answer").click()
    expect(child.get_by_text("You said: Not satisfied")).to_be_visible()

    coordinator.goto(live_server + "/routing")
    coordinator.get_by_role("link", name="公园里的秋千坏了").click()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_text("Another unit").click()
    coordinator.locator("fieldset", has_text="Lead unit").get_by_label(CITY).check()
    coordinator.get_by_role("button", name="Send to the units").click()
    open_task(city, live_server, "公园里的秋千坏了")
    answer(city)

    child.goto(idea_url)
    child.get_by_label("Satisfied", exact=True).check()
    child.get_by_role("button", name="Send my answer").click()
    expect(child.locator(".status-box")).to_contain_text("It is finished.")
    expect(child.locator(".timeline")).to_contain_text("not happy with the answer")
    assert_accessible(child)

    for context, _page, errors in people.values():
        context.close()
        assert errors == []
