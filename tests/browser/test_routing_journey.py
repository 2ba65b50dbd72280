"""Issue 19 items 6 and 7 in the browser, adults at 1280 px: the office routes an idea to a unit, the unit sends it
back with a reason, the office reads the reason and gives it to the same unit again with a note, and the unit reads
the note beside the idea as the child meant it (the child's own words beside the facilitator's change, the picture,
the council's votes). Then the office adds a unit and switches it off, and it is no longer offered for routing."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.operations import find_account
from council.extensions import db
from council.proposals.models import Attachment, EditStatus, Proposal, ProposalEdit
from council.uploads import storage
from council.uploads.images import process_image
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

HOUSING = "District Housing and Urban-Rural Development Bureau"
REASON = "Parks are looked after by the law enforcement bureau, not by us."
NOTE = "This swing stands in the housing estate's own yard, which your bureau manages. Please take the lead."
CHILD_WORDS = "秋千坏了，我们都不能荡秋千了，好难过。"
NEW_UNIT, NEW_UNIT_EN = "区农业农村局", "District Agriculture and Rural Affairs Bureau"


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 160, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _the_swing_as_the_child_wrote_it() -> Proposal:
    """The demo's adopted swing idea (voted on in three councils), with the facilitator's change to the child's
    words kept beside them and the child's picture, as the idea wizard and screening leave them."""
    swing = db.session.scalar(select(Proposal).where(Proposal.title == "公园里的秋千坏了"))
    author = swing.authors[0]
    swing.edits.append(ProposalEdit(field="problem", original=CHILD_WORDS, edited=swing.problem,
                                    status=EditStatus.applied, edited_by=find_account("facilitator")))
    swing.attachments.append(Attachment(file=storage.store_image(process_image(_picture()), author),
                                        description="断了链子的秋千"))
    db.session.commit()
    return swing


def _adult(browser, live_server, username):
    context, page, errors = signed_in(browser, live_server, username)
    page.set_viewport_size({"width": 1280, "height": 900})
    return context, page, errors


def test_send_back_and_give_again_with_a_note_then_a_unit_added_and_switched_off(browser, live_server):
    swing = _the_swing_as_the_child_wrote_it()
    people = {name: _adult(browser, live_server, name) for name in ("coordinator", "unit_housing")}
    office, housing = people["coordinator"][1], people["unit_housing"][1]

    # The office routes the idea to the housing bureau.
    with office.expect_navigation():
        office.get_by_role("link", name="Routing").click()
    assert_accessible(office)
    with office.expect_navigation():
        office.get_by_role("link", name="公园里的秋千坏了").click()
    lead = office.locator("fieldset", has_text="Lead unit")
    lead.get_by_text("Another unit").click()
    lead.get_by_label(HOUSING).check()
    assert_accessible(office)
    with office.expect_navigation():
        office.get_by_role("button", name="Send to the units").click()
    expect(office.get_by_text("on its way to the units")).to_be_visible()

    # The unit sends it back with its reason.
    with housing.expect_navigation():
        housing.goto(live_server + "/desk")
    with housing.expect_navigation():
        housing.get_by_role("link", name="公园里的秋千坏了").first.click()
    assert_accessible(housing)
    housing.get_by_label("Reason, so the office can find the right unit").fill(REASON)
    with housing.expect_navigation():
        housing.get_by_role("button", name="Send back", exact=True).click()
    expect(housing.get_by_text("Sent back to the coordinating office")).to_be_visible()

    # The office reads the reason in its queue and gives the task to the same unit again, with a note.
    office.goto(live_server + "/routing")
    card = office.locator(".idea-card", has_text="公园里的秋千坏了")
    expect(card).to_contain_text(REASON)
    assert_accessible(office)
    with office.expect_navigation():
        card.get_by_role("link", name="公园里的秋千坏了").click()
    expect(office.get_by_text("A unit that sent the idea back can be given it again")).to_be_visible()
    lead = office.locator("fieldset", has_text="Lead unit")
    lead.get_by_text("Another unit").click()
    lead.get_by_label(HOUSING).check()
    with office.expect_navigation():
        office.get_by_role("button", name="Send to the units").click()
    expect(office.locator("#note-error")).to_contain_text("Write a note that answers its reason")  # needed
    assert_accessible(office)
    office.locator("fieldset", has_text="Lead unit").get_by_text("Another unit").click()
    office.locator("fieldset", has_text="Lead unit").get_by_label(HOUSING).check()
    office.get_by_label("Note to the units (optional)").fill(NOTE)
    with office.expect_navigation():
        office.get_by_role("button", name="Send to the units").click()
    expect(office.get_by_text("on its way to the units")).to_be_visible()

    # The unit finds the same task again, with the note answering its reason and the idea as the child meant it.
    with housing.expect_navigation():
        housing.goto(live_server + "/desk")
    with housing.expect_navigation():
        housing.get_by_role("link", name="公园里的秋千坏了").first.click()
    expect(housing.locator(".status-box").first).to_contain_text(NOTE)
    exchanges = housing.locator("section", has=housing.get_by_role("heading", name="Sent back and sent again"))
    expect(exchanges).to_contain_text(REASON)
    expect(exchanges).to_contain_text(NOTE)
    words = housing.locator("section", has=housing.get_by_role("heading", name="The child's own words"))
    expect(words).to_contain_text(CHILD_WORDS)
    expect(words).to_contain_text(swing.problem)
    picture = housing.get_by_role("img", name="断了链子的秋千")
    expect(picture).to_be_visible()
    assert housing.evaluate("img => img.naturalWidth", picture.element_handle()) > 0  # the file route served it
    votes = housing.locator("section", has=housing.get_by_role("heading", name="The council's vote"))
    expect(votes.get_by_role("listitem")).to_have_count(3)  # school, street and district
    expect(votes).to_contain_text("For ")
    expect(housing.get_by_role("button", name="Acknowledge", exact=True)).to_be_visible()
    assert_accessible(housing)

    # The office adds a unit: it is offered for routing; switched off, it is not any more.
    with office.expect_navigation():
        office.goto(live_server + "/coordinator")
    with office.expect_navigation():
        office.get_by_role("link", name="Responsible units: add or switch off").click()
    assert_accessible(office)
    office.get_by_label("Name in Chinese").fill(NEW_UNIT)
    office.get_by_label("Name in English").fill(NEW_UNIT_EN)
    office.get_by_label("Kind").select_option("department")
    with office.expect_navigation():
        office.get_by_role("button", name="Add the unit").click()
    expect(office.get_by_text(f"{NEW_UNIT_EN} is added")).to_be_visible()
    assert_accessible(office)
    route_page = f"{live_server}/ideas/{swing.id}/route"
    office.goto(route_page)
    co_units = office.locator("fieldset", has_text="Co-units")
    co_units.get_by_text("Another unit").click()
    expect(co_units.get_by_label(NEW_UNIT_EN)).to_have_count(1)

    office.goto(live_server + "/units/manage")
    with office.expect_navigation():
        office.get_by_role("button", name=f"Switch off {NEW_UNIT_EN}").click()
    expect(office.get_by_text(f"{NEW_UNIT_EN} is switched off")).to_be_visible()
    expect(office.get_by_role("button", name=f"Switch on {NEW_UNIT_EN}")).to_be_visible()
    assert_accessible(office)
    office.goto(route_page)
    office.locator("fieldset", has_text="Co-units").get_by_text("Another unit").click()
    expect(office.locator("fieldset", has_text="Co-units").get_by_label(NEW_UNIT_EN)).to_have_count(0)
    expect(office.locator("fieldset", has_text="Co-units").get_by_label(HOUSING)).to_have_count(1)

    for context, _page, errors in people.values():
        context.close()
        assert errors == []
