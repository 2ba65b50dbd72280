import threading

from sqlalchemy import func, select

from council.calendar import clock
from council.extensions import db
from council.proposals.models import ProposalState
from council.sessions import operations
from council.sessions.models import Ballot, BallotReceipt, Session
from tests.conftest import PASSWORD


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.set_cookie("lang", "en")


def test_facilitator_runs_a_session_in_the_browser_forms(client, council):
    first, second = council.idea("秋千"), council.idea("路灯")
    sign_in(client, "fac")
    response = client.post(f"/councils/{council.community.id}/sessions/new",
                           data={"title": "秋季会议", "starts_at": "2026-11-29T15:00", "place": "活动室"})
    session = db.session.scalars(select(Session)).one()
    assert response.headers["Location"] == f"/sessions/{session.id}/manage"
    assert session.starts_at.hour == 7  # 15:00 in Zhoucun is 07:00 UTC
    for proposal in (first, second):
        client.post(f"/sessions/{session.id}/agenda", data={"proposal_id": proposal.id})
    client.post(f"/sessions/{session.id}/open")
    client.post(f"/sessions/{session.id}/attendance", data={"present": [m.id for m in council.members]})
    db.session.refresh(session)
    a, b = session.items
    client.post(f"/sessions/{session.id}/items/{a.id}/open")
    client.post(f"/sessions/{session.id}/items/{b.id}/open", data={"secret": "1"})
    for member in council.members:
        voter = client.application.test_client()
        sign_in(voter, member.username)
        assert "秋千" in voter.get(f"/sessions/{session.id}/vote").get_data(as_text=True)
        voter.post(f"/sessions/{session.id}/items/{a.id}/ballot", data={"choice": "for"})
        voter.post(f"/sessions/{session.id}/items/{b.id}/ballot", data={"choice": "against"})
    client.post(f"/sessions/{session.id}/items/{a.id}/close")
    refused = client.post(f"/sessions/{session.id}/items/{b.id}/close", follow_redirects=True)
    assert "Write the reason" in refused.get_data(as_text=True)
    client.post(f"/sessions/{session.id}/items/{b.id}/close", data={"reason": "街道已经在修路灯了。"})
    client.post(f"/sessions/{session.id}/close")
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.state, second.state) == (ProposalState.adopted, ProposalState.not_adopted)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    # the public page counts in a child's words (issue 19 item 3)
    assert "Yes 5 · No 0 · Did not choose 0" in page and "Yes 0 · No 5 · Did not choose 0" in page
    client.post(f"/ideas/{first.id}/forward")
    db.session.refresh(first)
    assert first.current_council == council.street and first.state is ProposalState.published
    story = client.get(f"/ideas/{second.id}").get_data(as_text=True)
    assert "did not adopt it: 街道已经在修路灯了。" in story


def test_parallel_double_votes_count_once(app, council):
    session, (item,) = council.session(council.idea())
    voter = app.test_client()
    voter.post("/login", data={"username": council.members[0].username, "password": PASSWORD})
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    barrier = threading.Barrier(4)
    statuses = []

    def tap():
        barrier.wait()
        statuses.append(voter.post(url, data={"choice": "for"}).status_code)

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(statuses) == 4 and all(s in (302, 409) for s in statuses), statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(BallotReceipt)) == 1
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_non_members_see_no_ballot(client, council):
    session, (item,) = council.session(council.idea())
    sign_in(client, "author")
    page = client.get(f"/sessions/{session.id}/vote").get_data(as_text=True)
    assert "Only council members who are here today can vote." in page
    response = client.post(f"/sessions/{session.id}/items/{item.id}/ballot", data={"choice": "for"})
    assert response.status_code == 403


def test_other_facilitators_cannot_manage(client, council):
    session, _ = council.session(council.idea())
    sign_in(client, "fac_b")
    assert client.get(f"/sessions/{session.id}/manage").status_code == 403
    assert client.post(f"/sessions/{session.id}/close").status_code == 403


def test_draft_sessions_are_not_public(client, council):
    session = operations.schedule(council.community, council.facilitator, title="草稿会议",
                                  starts_at=clock.now())
    db.session.commit()
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert client.get(f"/api/v1/sessions/{session.id}").status_code == 404


def test_api_sessions(client, council):
    proposal = council.idea()
    session, (item,) = council.session(proposal)
    council.vote(item, ["for", "for", "for", "against", None])
    operations.close_vote(item, council.facilitator)
    operations.close_session(session, council.facilitator)
    db.session.commit()
    listing = client.get(f"/api/v1/councils/{council.community.id}/sessions").get_json()
    assert listing["total"] == 1 and set(listing) == {"items", "page", "pages", "total"}
    data = client.get(f"/api/v1/sessions/{session.id}").get_json()
    assert data["quorum_met"] is True and data["present"] == 5
    assert data["items"] == [{"position": 0, "kind": "proposal", "proposal_id": proposal.id, "secret": False,
                              "tally": {"for": 3, "against": 1, "abstain": 0}, "outcome": "adopted",
                              "reason": None}]
    assert "王小明" not in client.get(f"/api/v1/sessions/{session.id}").get_data(as_text=True)


def test_feedback_page(client, council):
    session, _ = council.session(council.idea(), open_votes=False)
    operations.close_session(session, council.facilitator)
    db.session.commit()
    sign_in(client, council.members[0].username)
    client.post(f"/sessions/{session.id}/feedback", data={"face": "happy"})
    client.post(f"/sessions/{session.id}/feedback", data={"face": "sad"})
    client.post("/logout")
    sign_in(client, "fac")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Yes, I was heard: 1" in page and "No, I was not heard: 0" in page


def test_show_of_hands_form_records_each_raised_hand(client, council):
    session, (item,) = council.session(council.idea())
    sign_in(client, "fac")
    data = {f"hand_{m.id}": "for" for m in council.members[:3]} | {f"hand_{council.members[3].id}": "nonsense"}
    client.post(f"/sessions/{session.id}/items/{item.id}/hands", data=data)
    client.post(f"/sessions/{session.id}/items/{item.id}/close")
    db.session.refresh(item)
    assert item.tally == {"for": 3, "against": 0, "abstain": 0}
    receipts = db.session.scalars(select(BallotReceipt)).all()
    assert {r.method.value for r in receipts} == {"show_of_hands"}
