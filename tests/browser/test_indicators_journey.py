"""A unit reports a value with a photo as evidence, the coordinating office confirms it, and the public page of
the plan's targets and a related child's idea show the new progress."""

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in, watch_errors

PARKS = "Parks for children to play in (pocket parks)"
PARKS_NAME = "Child-friendly theme parks (pocket parks)"


def park_photo(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (480, 320), (120, 190, 120)).save(buffer, format="PNG")
    path = tmp_path / "new-park.png"
    path.write_bytes(buffer.getvalue())
    return path


def test_unit_reports_office_confirms_public_and_idea_show_it(browser, live_server, tmp_path):
    pocket = db.session.scalar(select(Proposal).where(Proposal.title == "希望周村有更多口袋公园"))
    visitor_context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US")
    visitor = visitor_context.new_page()
    visitor_errors = watch_errors(visitor)
    visitor.goto(live_server + "/lang/en")
    visitor.goto(f"{live_server}/ideas/{pocket.id}")
    related = visitor.locator(".indicator-related")
    expect(related).to_contain_text(f"This idea is linked to the target “{PARKS_NAME}”: at least 2 parks by 2025; "
                                    "now 1 parks.")

    housing_context, housing, housing_errors = signed_in(browser, live_server, "unit_housing")
    with housing.expect_navigation():
        housing.get_by_role("link", name="Report on our plan targets").click()
    assert_accessible(housing)
    housing.get_by_role("link", name=PARKS_NAME).click()
    expect(housing.get_by_role("heading", name="Report a value")).to_be_visible()
    housing.get_by_label("Value, in parks").fill("2")
    housing.get_by_label("Note").fill("The second pocket park, by the old market, opened in October.")
    housing.get_by_label("Evidence: a photo or a scan (optional)").set_input_files(park_photo(tmp_path))
    housing.get_by_label("What does the picture show?").fill("The new slide and benches")
    assert_accessible(housing)
    housing.get_by_role("button", name="Send the value").click()
    expect(housing.get_by_text("The coordinating office will check the value")).to_be_visible()
    expect(housing.locator(".report-history li").first).to_contain_text("Waiting for confirmation")
    photo = housing.get_by_role("img", name="The new slide and benches")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()

    office_context, office, office_errors = signed_in(browser, live_server, "coordinator")
    with office.expect_navigation():
        office.get_by_role("link", name="Plan targets: monitoring").click()
    assert_accessible(office)
    waiting = office.locator("#queue-h + ol > li", has_text=PARKS_NAME)
    expect(waiting).to_contain_text("2 parks")
    photo = waiting.get_by_role("img", name="The new slide and benches")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    waiting.get_by_role("button", name="Confirm").click()
    expect(office.get_by_text("Confirmed. The public page shows the new value.")).to_be_visible()
    expect(office.locator("#queue-h + ol > li", has_text=PARKS_NAME)).to_have_count(0)

    visitor.goto(live_server + "/plan/indicators")
    card = visitor.locator("li.indicator-card", has_text=PARKS)
    expect(card).to_contain_text("Now: 2 parks")
    expect(card).to_contain_text("Target: at least 2 parks by 2025 (100%)")
    expect(card.locator(".status")).to_have_text("Achieved")
    expect(card.get_by_role("progressbar", name=PARKS)).to_have_attribute("value", "100")
    assert_accessible(visitor)
    visitor.goto(f"{live_server}/ideas/{pocket.id}")
    expect(related).to_contain_text("now 2 parks.")
    expect(related.locator(".status")).to_have_text("Achieved")
    assert_accessible(visitor)
    card_link = visitor.get_by_role("link", name="More about this target")
    card_link.click()
    expect(visitor.get_by_text("The new slide and benches")).to_have_count(0)  # evidence is for the adults who check

    for context, errors in ((visitor_context, visitor_errors), (housing_context, housing_errors),
                            (office_context, office_errors)):
        context.close()
        assert errors == []
