"""A vote reaches the member: the facilitator opens it on a laptop, a member child hears about it on a phone, reads
the idea on the ballot, chooses, confirms once, and the call to vote on their home page is gone."""

from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.operations import find_account
from council.calendar import clock
from council.councils.models import Council
from council.extensions import db
from council.proposals import operations as ideas
from council.sessions import operations as sessions
from council.uploads import storage
from council.uploads.images import process_image
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in
from tests.uploads.test_images import encode, two_halves


def test_member_hears_of_the_vote_reads_the_idea_and_confirms_once(browser, live_server):
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    child, facilitator = find_account("child"), find_account("facilitator")
    fountain = ideas.start_draft(child, school)
    ideas.save_draft(fountain, child, title="操场需要饮水机", problem="体育课后没有水喝。",
                     idea="在操场边装一台饮水机。")
    picture = storage.store_image(process_image(encode(two_halves((240, 160)), "PNG")), child)
    ideas.attach(fountain, child, picture, "操场的角落")
    ideas.choose_topic(fountain, child, None)
    ideas.submit(fountain, child)
    ideas.publish(fountain, facilitator)
    session = sessions.schedule(school, facilitator, title="冬季议事会议", starts_at=clock.now(), place="三楼会议室")
    sessions.add_to_agenda(session, fountain, facilitator)
    sessions.open_session(session, facilitator)
    sessions.mark_attendance(session, facilitator, {m.id for m in sessions.members_on(school, clock.today())})
    db.session.commit()

    # The facilitator, at a laptop, opens the vote.
    fac_ctx, fac, fac_errors = signed_in(browser, live_server, "facilitator")
    fac.set_viewport_size({"width": 1280, "height": 900})
    fac.goto(f"{live_server}/sessions/{session.id}/manage")
    assert_accessible(fac)
    with fac.expect_navigation():
        fac.get_by_role("button", name="Open the vote").click()
    expect(fac.get_by_text("Voting is open. Members can vote on their own devices now.")).to_be_visible()
    assert_accessible(fac)

    # A member, on a phone, sees the message behind the bell, and the call to vote on their page.
    kid_ctx, kid, kid_errors = signed_in(browser, live_server, "member", english=False)
    expect(kid.locator("a.bell .count")).to_be_visible()
    with kid.expect_navigation():
        kid.locator("a.bell").first.click()
    message = kid.locator("li", has_text="开始表决“操场需要饮水机”了")
    expect(message.first).to_be_visible()
    assert_accessible(kid)
    with kid.expect_navigation():
        message.first.get_by_role("link", name="打开").click()
    banner = kid.locator(".notice", has_text="有一个表决在等你")
    expect(banner).to_be_visible()
    assert_accessible(kid)

    # The ballot: the idea in the child's own words, its picture, what each choice means.
    with kid.expect_navigation():
        banner.get_by_role("link", name="去投票").click()
    ballot = kid.locator("section", has_text="操场需要饮水机")
    expect(ballot.get_by_text("体育课后没有水喝。")).to_be_visible()
    expect(ballot.get_by_text("在操场边装一台饮水机。")).to_be_visible()
    expect(ballot.get_by_role("img", name="操场的角落")).to_be_visible()
    expect(ballot.get_by_role("link", name="打开这条建议")).to_be_visible()
    for words in ("我同意这样做。", "我不同意。", "我不想选，也没关系。"):
        expect(ballot.get_by_text(words)).to_be_visible()
    assert_accessible(kid)

    # Choosing asks once; confirming casts it.
    with kid.expect_navigation():
        ballot.get_by_role("button", name="赞成").click()
    expect(kid.get_by_text("你选了赞成。投出后不能再改。确定吗？")).to_be_visible()
    assert_accessible(kid)
    with kid.expect_navigation():
        kid.get_by_role("button", name="确定，投出我的票").click()
    expect(kid.get_by_text("谢谢！你的票已经记下了。")).to_be_visible()
    assert_accessible(kid)

    kid.goto(f"{live_server}/me")
    expect(kid.get_by_role("heading", level=1)).to_be_visible()
    expect(kid.get_by_text("有一个表决在等你")).to_have_count(0)
    assert_accessible(kid)

    for ctx, errors in ((fac_ctx, fac_errors), (kid_ctx, kid_errors)):
        ctx.close()
        assert errors == []
