"""A council session: the facilitator plans it, members vote on their own phones, ideas are decided."""


from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.operations import find_account
from council.calendar import clock
from council.councils.models import Council
from council.extensions import db
from council.proposals import operations as ideas
from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_a_session_vote, open_menu, signed_in

DEMO_PASSWORD = "zhoucun2026"


def test_session_with_two_ideas_adopts_one_and_explains_the_other(browser, live_server):
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    child, facilitator_account = find_account("child"), find_account("facilitator")
    fountain = ideas.start_draft(child, school)
    ideas.save_draft(fountain, child, title="操场需要饮水机", problem="体育课后没有水喝。", idea="在操场边装饮水机。")
    ideas.choose_topic(fountain, child, None)
    ideas.submit(fountain, child)
    ideas.publish(fountain, facilitator_account)
    db.session.commit()

    fac_ctx, fac, fac_errors = signed_in(browser, live_server, "facilitator")
    fac.goto(f"{live_server}/councils/{school.id}/sessions/new")
    assert_accessible(fac)
    session_url = open_a_session_vote(fac, ("操场需要饮水机", "图书角需要新书"),
                                      title="冬季议事会议", place="三楼会议室", day=clock.today())
    assert_accessible(fac)

    voters = []
    for username in ("kid01", "kid02", "kid03", "member"):
        ctx, page, errors = signed_in(browser, live_server, username)
        page.goto(session_url + "/vote")
        assert_accessible(page)
        water = page.locator("section", has_text="操场需要饮水机")
        water.get_by_role("button", name="For").click()
        page.get_by_role("button", name="Yes, cast my vote").click()  # a ballot is final: asked once to confirm
        books = page.locator("section", has_text="图书角需要新书")
        books.get_by_role("button", name="Against").click()
        page.get_by_role("button", name="Yes, cast my vote").click()
        expect(page.get_by_text("Your vote is counted. Thank you!")).to_have_count(2)
        voters.append((ctx, errors))

    fac.reload()
    fac.locator("[id^=item-]", has_text="操场需要饮水机").get_by_role("button", name="Close the vote and count").click()
    books_item = fac.locator("[id^=item-]", has_text="图书角需要新书")
    books_item.get_by_role("button", name="Close the vote and count").click()
    expect(fac.get_by_text("Write the reason")).to_be_visible()  # refused: a reason for children is required
    books_item = fac.locator("[id^=item-]", has_text="图书角需要新书")
    books_item.get_by_label("If it is not adopted").fill("学校图书馆下个月会送来新书，大家可以去借。")
    books_item.get_by_role("button", name="Close the vote and count").click()
    fac.get_by_role("button", name="Close the session").last.click()
    fac.get_by_role("button", name="Forward to Dajie Subdistrict Children's Council").click()
    expect(fac.get_by_text("The idea went on to")).to_be_visible()

    fac.goto(session_url)
    expect(fac.get_by_text("Yes 4 · No 0 · Did not choose 0")).to_be_visible()  # the public page, in a child's words
    expect(fac.get_by_text("Yes 0 · No 4 · Did not choose 0")).to_be_visible()
    assert_accessible(fac)

    author_ctx, author, author_errors = signed_in(browser, live_server, "child")
    author.goto(f"{live_server}/ideas/{fountain.id}")
    expect(author.locator(".timeline")).to_contain_text("voted and adopted it")
    expect(author.locator(".timeline")).to_contain_text("sent it on to the council above")
    open_menu(author)
    author.get_by_role("link", name="Ideas", exact=True).click()
    author.get_by_role("link", name="图书角需要新书").click()
    expect(author.locator(".timeline")).to_contain_text("did not adopt it: 学校图书馆下个月会送来新书")
    assert_accessible(author)

    for ctx, errors in [(fac_ctx, fac_errors), (author_ctx, author_errors), *voters]:
        ctx.close()
        assert errors == []
