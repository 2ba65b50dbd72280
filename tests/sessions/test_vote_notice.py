"""A vote nobody hears about is not a vote: the members who are here are told once, their home page calls them to
vote until they have, and the ballot page shows the idea, explains the choices and asks once before a vote counts."""

import threading

from flask_babel import force_locale
from sqlalchemy import func, select

from council.extensions import db
from council.notifications.models import Notification
from council.notifications.operations import text_of
from council.proposals import operations as ideas
from council.sessions import operations
from council.sessions.models import Ballot, BallotReceipt, Choice
from council.uploads import storage
from council.uploads.images import process_image
from tests.conftest import PASSWORD
from tests.uploads.test_images import encode, two_halves


def sign_in(client, username, english=True):
    client.post("/login", data={"username": username, "password": PASSWORD})
    if english:
        client.set_cookie("lang", "en")


def told(item) -> dict[int, int]:
    """How many vote messages about the item each account holds."""
    db.session.expire_all()
    rows = db.session.execute(select(Notification.account_id, func.count()).where(
        Notification.kind.in_(("vote_opened", "election_opened")), Notification.params["item"].as_integer() == item.id)
        .group_by(Notification.account_id)).all()
    return dict(rows)


def idea_with_a_picture(council, title="操场需要饮水机"):
    proposal = ideas.start_draft(council.author, council.community)
    ideas.save_draft(proposal, council.author, title=title, problem="体育课后没有水喝。", idea="在操场边装一台饮水机。")
    stored = storage.store_image(process_image(encode(two_halves((120, 80)), "PNG")), council.author)
    ideas.attach(proposal, council.author, stored, "操场的角落")
    ideas.choose_topic(proposal, council.author, None)
    ideas.submit(proposal, council.author)
    ideas.publish(proposal, council.facilitator)
    db.session.commit()
    return proposal, stored


def test_opening_a_vote_tells_each_present_member_once(council):
    here, away = council.members[:4], council.members[4]
    session, (item,) = council.session(council.idea(), present=here)
    assert told(item) == {m.id: 1 for m in here}  # not the absent member, the author or a supporter

    assert operations.open_vote(item, council.facilitator) is False  # a retry: already open, nobody told again
    operations.mark_attendance(session, council.facilitator, {m.id for m in here})
    db.session.commit()
    assert told(item) == {m.id: 1 for m in here}

    # The member who comes late hears about it when marked present, once, however often attendance is saved.
    for present in (council.members, here, council.members):
        operations.mark_attendance(session, council.facilitator, {m.id for m in present})
        db.session.commit()
    assert told(item) == {m.id: 1 for m in council.members}
    assert away.id in told(item)


def test_a_double_submitted_open_tells_once(app, client, council):
    session, (item,) = council.session(council.idea(), open_votes=False)
    facilitator = app.test_client()
    facilitator.post("/login", data={"username": "fac", "password": PASSWORD})
    url = f"/sessions/{session.id}/items/{item.id}/open"
    barrier = threading.Barrier(3)
    statuses = []

    def tap():
        barrier.wait()
        statuses.append(facilitator.post(url).status_code)

    threads = [threading.Thread(target=tap) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert statuses == [302, 302, 302]
    facilitator.post(url)  # and once more, later
    assert told(item) == {m.id: 1 for m in council.members}
    db.session.refresh(item)
    assert item.status.value == "voting"


def test_the_message_speaks_the_members_language(council):
    session, (item,) = council.session(council.idea("秋千坏了"))
    message = db.session.scalars(select(Notification).where(Notification.account_id == council.members[0].id,
                                                            Notification.kind == "vote_opened")).one()
    with force_locale("en"):
        english = text_of(message)
    with force_locale("zh_Hans_CN"):
        chinese = text_of(message)
    assert english.startswith("The vote on “秋千坏了” has started in ") and "Go to voting" in english
    assert chinese.endswith("开始表决“秋千坏了”了。你今天在场，可以投票：打开“我的主页”，点“去投票”。")


def test_an_election_is_announced_too(council):
    session, _ = council.session(open_votes=False)
    item = operations.add_election(session, council.facilitator, operations.MembershipRole.chair,
                                   council.members[:2])
    db.session.commit()
    operations.open_vote(item, council.facilitator)
    db.session.commit()
    assert told(item) == {m.id: 1 for m in council.members}
    message = db.session.scalars(select(Notification).where(Notification.kind == "election_opened")).first()
    with force_locale("en"):
        assert text_of(message).startswith("An election has started in ")


def test_the_bell_and_the_home_page_call_to_vote_until_voted(client, council):
    session, (item,) = council.session(council.idea("秋千坏了"), present=council.members[:4])
    member, away = council.members[0], council.members[4]
    sign_in(client, member.username, english=False)
    messages = client.get("/notifications").get_data(as_text=True)
    assert "开始表决“秋千坏了”了" in messages
    home = client.get("/me").get_data(as_text=True)
    assert "有一个表决在等你" in home and "去投票" in home and f'href="/sessions/{session.id}/vote"' in home
    client.set_cookie("lang", "en")
    home = client.get("/me").get_data(as_text=True)
    assert "A vote is waiting for you" in home and "Go to voting" in home and "有一个表决在等你" not in home

    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    client.post(url, data={"step": "choose", "choice": "for"})
    assert "A vote is waiting for you" in client.get("/me").get_data(as_text=True)  # choosing is not voting
    client.post(url, data={"choice": "for"})
    assert "A vote is waiting for you" not in client.get("/me").get_data(as_text=True)

    client.post("/logout")
    sign_in(client, away.username)
    assert "A vote is waiting for you" not in client.get("/me").get_data(as_text=True)  # not here today


def test_the_call_is_gone_once_the_vote_closes(client, council):
    session, (item,) = council.session(council.idea())
    sign_in(client, council.members[1].username)
    assert "A vote is waiting for you" in client.get("/me").get_data(as_text=True)
    council.vote(item, ["for", None, "for", "for", None])
    operations.close_vote(item, council.facilitator)
    db.session.commit()
    assert "A vote is waiting for you" not in client.get("/me").get_data(as_text=True)


def test_the_ballot_shows_the_idea_and_explains_the_choices(client, council):
    proposal, picture = idea_with_a_picture(council)
    session, (item,) = council.session(proposal)
    sign_in(client, council.members[0].username, english=False)
    page = client.get(f"/sessions/{session.id}/vote").get_data(as_text=True)
    for words in ("操场需要饮水机", "体育课后没有水喝。", "在操场边装一台饮水机。", "孩子自己的话",
                  "赞成", "我同意这样做。", "反对", "我不同意。", "弃权", "我不想选，也没关系。"):
        assert words in page, words
    assert f'src="/files/{picture.key}/thumb"' in page and 'alt="操场的角落"' in page
    assert f'href="/ideas/{proposal.id}"' in page
    with client.get(f"/files/{picture.key}/thumb") as shown:
        assert shown.status_code == 200  # the file route lets a member see it
    client.set_cookie("lang", "en")
    page = client.get(f"/sessions/{session.id}/vote").get_data(as_text=True)
    for words in ("In the child's own words", "I agree with doing this.", "I do not agree.",
                  "I don't want to choose, and that is OK.", "Before your vote counts, we ask you once more."):
        assert words in page, words
    assert "我同意这样做" not in page


def test_an_idea_hidden_while_reports_are_checked_keeps_its_words_off_the_ballot(client, council):
    proposal, picture = idea_with_a_picture(council)
    session, (item,) = council.session(proposal)
    proposal.hidden_at = session.opened_at
    db.session.commit()
    sign_in(client, council.members[0].username)
    page = client.get(f"/sessions/{session.id}/vote").get_data(as_text=True)
    assert "This idea is hidden for a while" in page
    assert "体育课后没有水喝。" not in page and picture.key not in page


def test_a_choice_is_confirmed_once_before_it_counts(client, council):
    session, (item,) = council.session(council.idea())
    sign_in(client, council.members[0].username, english=False)
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    asked = client.post(url, data={"step": "choose", "choice": "for"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "你选了赞成。投出后不能再改。确定吗？" in page
    assert asked.headers["Cache-Control"] == "no-store"
    assert 'name="choice" value="for"' in page and "确定，投出我的票" in page and "不，我要重新选" in page
    assert db.session.scalar(select(func.count()).select_from(BallotReceipt)) == 0  # nothing cast yet

    client.set_cookie("lang", "en")
    page = client.post(url, data={"step": "choose", "choice": "abstain"}).get_data(as_text=True)
    assert "You chose Abstain. Once your vote is cast, it cannot be changed. Are you sure?" in page

    done = client.post(url, data={"choice": "abstain"}, follow_redirects=True).get_data(as_text=True)
    assert "Thank you! Your vote is counted." in done
    assert db.session.scalars(select(Ballot.choice)).all() == [Choice.abstain]


def test_a_double_submit_casts_once(client, council):
    session, (item,) = council.session(council.idea())
    sign_in(client, council.members[0].username)
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    client.post(url, data={"step": "choose", "choice": "for"})
    client.post(url, data={"step": "choose", "choice": "for"})
    client.post(url, data={"choice": "for"})
    again = client.post(url, data={"choice": "against"}, follow_redirects=True).get_data(as_text=True)
    assert "Your vote is already counted." in again
    late = client.post(url, data={"step": "choose", "choice": "against"}, follow_redirects=True)
    assert "Your vote is already counted." in late.get_data(as_text=True)  # no second confirm page either
    assert db.session.scalar(select(func.count()).select_from(BallotReceipt)) == 1
    assert db.session.scalars(select(Ballot.choice)).all() == [Choice.for_]


def test_only_members_who_are_here_are_asked(client, council):
    session, (item,) = council.session(council.idea(), present=council.members[:4])
    sign_in(client, council.members[4].username)
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    assert client.post(url, data={"step": "choose", "choice": "for"}).status_code == 403
    client.post("/logout")
    sign_in(client, "author")
    assert client.post(url, data={"step": "choose", "choice": "for"}).status_code == 403


def test_a_secret_choice_is_shown_to_nobody_else(client, council):
    session, (item,) = council.session(council.idea(), secret=True)
    voter = council.members[0]
    sign_in(client, voter.username)
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    assert "You chose Against." in client.post(url, data={"step": "choose", "choice": "against"}).get_data(
        as_text=True)
    after = client.post(url, data={"choice": "against"}, follow_redirects=True).get_data(as_text=True)
    assert "Your vote is counted. Thank you!" in after and "You chose" not in after
    assert db.session.scalars(select(Ballot.voter_id)).all() == [None]
    client.post("/logout")
    sign_in(client, "fac")
    for page in (f"/sessions/{session.id}/manage", f"/sessions/{session.id}", f"/api/v1/sessions/{session.id}"):
        assert "You chose" not in client.get(page).get_data(as_text=True)


def test_a_ballot_is_counted_by_the_database_once_without_asking_first(client, council):
    """Issue 18's writes: the confirmed ballot is inserted once (``insert_once``) without first asking whether the
    member voted: the statements of one ballot, held to their number."""
    from tests.test_planner import statements

    session, (item,) = council.session(council.idea())
    sign_in(client, council.members[0].username)
    url = f"/sessions/{session.id}/items/{item.id}/ballot"
    with statements(db.engine) as seen:
        answer = client.post(url, data={"choice": "for"})
    assert answer.status_code == 302
    assert not any("ballot_receipts" in s and s.startswith("SELECT") for s in seen), "\n".join(seen)
    assert len(seen) <= 9, "\n".join(seen)  # account; session, item, attendance; the terms; consent; two rows
    assert db.session.scalar(select(func.count()).select_from(BallotReceipt)) == 1
