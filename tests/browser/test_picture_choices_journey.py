"""Issue 20 item 4 in the browser: wherever a child chooses from a short list — the ballot, the rating of an answer,
help kinds, report reasons and the plan areas in the wizard — each choice is a large target (at least 44 px) with
its picture and its word, at 360 px, axe-clean; the words are in the page's main text, which 读给我听 reads."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from council.accounts.operations import can_act, find_account
from council.calendar import clock
from council.councils.models import Council
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import Proposal, ProposalState
from council.sessions import operations as sessions
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

CHOICES = {  # page → the targets a child taps to choose
    "help": ".picture-choices label",
    "flag": ".picture-choices label",
    "rate": "#rate .picture-choices label",
    "ballot": ".picture-choices .button",
    "topic": "details.area-group > summary",
}


def _by_picture(page, selector: str, at_least: int) -> list[str]:
    """Each target: its picture, its word, 44 px or more each way; returns the words."""
    targets = page.locator(selector)
    expect(targets.first).to_be_visible()
    assert targets.count() >= at_least, selector
    words = []
    for i in range(targets.count()):
        target = targets.nth(i)
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (selector, i, box)
        assert target.locator("svg.icon").count() == 1, (selector, i)
        word = target.inner_text().strip()
        assert word, (selector, i)
        words.append(word)
    main = page.locator("main").inner_text()
    assert all(word in main for word in words)  # read aloud with the page's main text
    return words


def test_a_child_chooses_by_picture_on_every_short_list(browser, live_server):
    child = find_account("child")
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    answered = db.session.scalar(select(Proposal).where(Proposal.state == ProposalState.answered)
                                 .order_by(Proposal.id))
    assert child.id in {a.id for a in answered.authors}
    public = next(p for p in db.session.scalars(select(Proposal).order_by(Proposal.id))
                  if p.is_public and child.id not in {a.id for a in p.authors})  # another child's idea
    draft = ideas.start_draft(child, school)
    facilitator = find_account("facilitator")
    members = [m for m in sessions.members_on(school, clock.today()) if can_act(m)]
    voter = members[0]
    fountain = ideas.start_draft(voter, school)
    ideas.save_draft(fountain, voter, title="操场需要饮水机", problem="体育课后没有水喝。", idea="装一台饮水机。")
    ideas.choose_topic(fountain, voter, None)
    ideas.submit(fountain, voter)
    ideas.publish(fountain, facilitator)
    session = sessions.schedule(school, facilitator, title="选图投票", starts_at=clock.now(), place="教室")
    item = sessions.add_to_agenda(session, fountain, facilitator)
    sessions.open_session(session, facilitator)
    sessions.mark_attendance(session, facilitator, {m.id for m in members})
    sessions.open_vote(item, facilitator)
    db.session.commit()

    context, page, errors = signed_in(browser, live_server, "child", english=False)
    page.goto(f"{live_server}/help")
    assert _by_picture(page, CHOICES["help"], 4)
    assert_accessible(page)
    page.goto(f"{live_server}/flags/proposal/{public.id}")
    assert len(_by_picture(page, CHOICES["flag"], 4)) == 4  # the four reasons
    assert_accessible(page)
    page.goto(f"{live_server}/ideas/{answered.id}")
    assert len(_by_picture(page, CHOICES["rate"], 3)) == 3
    assert_accessible(page)
    page.goto(f"{live_server}/ideas/{draft.id}/step/6")
    assert len(_by_picture(page, CHOICES["topic"], 5)) == 5  # the plan's five areas
    assert_accessible(page)
    context.close()
    assert errors == []

    phone_ctx, phone, phone_errors = signed_in(browser, live_server, voter.username, english=False)
    phone.goto(f"{live_server}/sessions/{session.id}/vote")
    assert _by_picture(phone, CHOICES["ballot"], 3)[:3] == ["赞成", "反对", "弃权"]
    assert_accessible(phone)
    phone_ctx.close()
    assert phone_errors == []
