"""The coordinating office opens a drawing campaign; a child sends a phone photo that carries GPS; the facilitator
records the guardian's consent and the office approves it; the gallery shows it without any EXIF; children vote; a
juror scores it blind; the results and a certificate appear."""

import io

from PIL import Image
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in
from tests.uploads.test_images import GPS_IFD, encode, gps_exif, two_halves

TITLE = "A playground with a rainbow slide"
DESCRIPTION = "A rainbow slide next to a big tree, with children playing"


def move_on(page, phase):
    page.get_by_role("link", name=f"Move on to: {phase}").click()  # the page that asks first (issue 19 item 10)
    page.get_by_role("button", name=f"Yes, move on to: {phase}").click()
    expect(page.get_by_text(f"The campaign is now: {phase}.")).to_be_visible()


def test_open_enter_approve_vote_judge_and_announce(browser, live_server, tmp_path):
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(encode(two_halves((640, 480)), "JPEG", exif=gps_exif()))
    with Image.open(photo) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the phone photo really says where it was taken
    people = {name: signed_in(browser, live_server, name)
              for name in ("coordinator", "child", "facilitator", "member", "teen", "facilitator2")}

    office = people["coordinator"][1]
    office.get_by_role("link", name="Open a campaign").click()
    office.get_by_label("Who may take part").select_option(label="The whole district")
    office.get_by_label("Kind of work").select_option("drawing")
    office.get_by_label("Title", exact=True).fill("Draw a child-friendly playground")
    office.get_by_label("Rules in plain words").fill("Draw the playground you would like. One drawing each.")
    office.get_by_label("Prizes").fill("A certificate and a box of crayons")
    office.get_by_label("Jury members (usernames)").fill("facilitator2")
    assert_accessible(office)
    office.get_by_role("button", name="Save").click()
    expect(office.get_by_text("The campaign is saved as a draft.")).to_be_visible()
    expect(office.get_by_text("Final score = 70% × jury score")).to_be_visible()
    move_on(office, "Open for entries")
    campaign_url = office.url

    child = people["child"][1]
    child.goto(live_server + "/campaigns/")
    child.get_by_role("link", name="Draw a child-friendly playground").click()
    child.get_by_role("link", name="Send my work").click()
    child.get_by_label("Title of your work").fill(TITLE)
    child.get_by_label("A photo of your work").set_input_files(str(photo))
    child.get_by_label("What does your work show?").fill(DESCRIPTION)
    assert_accessible(child)
    child.get_by_role("button", name="Send my work").click()
    expect(child.get_by_text("Your entry is sent!")).to_be_visible()
    expect(child.get_by_text("Waiting to be checked")).to_be_visible()
    entry_url = child.url

    facilitator = people["facilitator"][1]  # the child's street: records the guardian's consent slip
    facilitator.goto(entry_url)
    expect(facilitator.get_by_text("is not shown publicly").first).to_be_visible()
    facilitator.get_by_label("Yes to showing the work on this site").check()
    facilitator.get_by_label("Yes to the district using the work if it wins").check()
    facilitator.get_by_label("How the guardian answered").select_option("paper")
    assert_accessible(facilitator)
    facilitator.get_by_role("button", name="Record the guardian's answer").click()
    expect(facilitator.get_by_text("The guardian's answer is recorded.")).to_be_visible()

    office.goto(campaign_url)
    office.get_by_role("link", name="Check the entries").click()
    expect(office.locator(".work", has_text=TITLE)).to_contain_text("Guardian consent recorded")
    assert_accessible(office)
    office.locator(".work", has_text=TITLE).get_by_role("button", name="Approve").click()
    expect(office.get_by_text("The entry is approved and shown in the gallery.")).to_be_visible()

    visitor = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US")
    public = visitor.new_page()
    public.goto(live_server + "/lang/en")
    public.goto(campaign_url)
    picture = public.get_by_role("img", name=DESCRIPTION)
    expect(picture).to_be_visible()
    assert picture.get_attribute("loading") == "lazy" and picture.get_attribute("width")
    assert_accessible(public)
    for url in (picture.get_attribute("src"), picture.get_attribute("src").removesuffix("/thumb")):
        served = public.request.get(live_server + url)
        assert served.status == 200
        image = Image.open(io.BytesIO(served.body()))
        assert not image.getexif() and not image.info.get("exif"), url
        assert b"Secret Model X" not in served.body()
    html = public.content()
    assert "小星星" in html and "王小明" not in html and "四年级二班" not in html  # nickname only, never the real name

    office.goto(campaign_url)
    move_on(office, "Entries being checked")
    move_on(office, "Children are voting")
    for voter in ("member", "teen"):
        page = people[voter][1]
        page.goto(campaign_url)
        page.get_by_role("button", name=f"Vote for “{TITLE}”").click()
        expect(page.get_by_text("Thank you for your vote!")).to_be_visible()
        expect(page.get_by_role("button", name=f"Take back my vote for “{TITLE}”")).to_be_visible()
    assert_accessible(people["teen"][1])

    office.goto(campaign_url)
    move_on(office, "The jury is scoring")
    juror = people["facilitator2"][1]
    juror.goto(campaign_url)
    juror.get_by_role("link", name="Score the entries (jury)").click()
    work = juror.locator(".work", has_text=TITLE)
    html = juror.content()
    assert "小星星" not in html and "大街" not in html and "示例小学" not in html  # blind: no author, council, school
    work.get_by_label("创意").fill("9")
    work.get_by_label("主题表达").fill("8")
    work.get_by_label("美观").fill("10")
    assert_accessible(juror)
    work.get_by_role("button", name="Save marks for work").click()
    expect(juror.get_by_text("Scores saved")).to_be_visible()
    expect(juror.locator(".work", has_text=TITLE)).to_contain_text("Your score: 90.0 of 100")

    office.goto(campaign_url)
    move_on(office, "Results")
    public.goto(campaign_url)
    public.get_by_role("link", name="See the winners").click()
    winner = public.locator(".work", has_text=TITLE)
    expect(winner).to_contain_text("Place 1")
    expect(winner).to_contain_text("小星星")
    assert_accessible(public)
    winner.get_by_role("link", name=f"Certificate for “{TITLE}”").click()
    expect(public.locator(".certificate")).to_contain_text("小星星")
    expect(public.locator(".certificate")).to_contain_text("Place 1, ages 9–11")
    assert "王小明" not in public.content()
    assert_accessible(public)
    visitor.close()

    for context, _page, errors in people.values():
        context.close()
        assert errors == []
