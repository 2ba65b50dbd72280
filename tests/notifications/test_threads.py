"""Messages a child can keep up with (issue 19 item 2): one idea's news is one thread, the same news is never in the
bell twice, supporters hear the milestones, and adults choose per kind: a mail at once, one a day, or none."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from council.calendar import clock
from council.extensions import db
from council.notifications.models import Notification, NotificationPreference, OutboxMail
from council.notifications.operations import notify, tell_children, text_of, unread_count
from council.proposals import operations as proposals
from council.tasks.reminders import remind
from tests.conftest import PASSWORD, kept_world
from tests.proposals.conftest import World

ZHOUCUN = ZoneInfo("Asia/Shanghai")


@kept_world
def world(make):
    return World(make)


def messages(account, **where) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).filter_by(account_id=account.id, **where)
                                   .order_by(Notification.id)))


def mails(kind=None) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(OutboxMail.id)
    return list(db.session.scalars(query.where(OutboxMail.kind == kind) if kind else query))


def test_the_same_news_about_an_idea_is_brought_up_to_date_while_unread_and_told_again_once_read(app, world):
    proposal = world.published()
    tell_children(proposal, "task_progress", unit="区教育和体育局")
    tell_children(proposal, "task_progress", unit="区教育和体育局")
    tell_children(proposal, "task_progress", unit="周村交警大队")
    db.session.commit()
    progress = messages(world.author, kind="task_progress")
    assert len(progress) == 1 and progress[0].read_at is None
    assert progress[0].params["unit"] == "区教育和体育局、周村交警大队"  # one message naming both units

    progress[0].read_at = clock.now()
    tell_children(proposal, "task_progress", unit="周村交警大队")
    db.session.commit()
    assert [m.read_at is None for m in messages(world.author, kind="task_progress")] == [False, True]


def test_newer_news_makes_the_earlier_unread_news_of_the_idea_old(app, world):
    proposal = world.submitted()
    assert [m.kind for m in messages(world.author, read_at=None)] == ["proposal_submitted"]
    proposals.publish(proposal, world.facilitator)
    db.session.commit()
    assert [m.kind for m in messages(world.author, read_at=None)] == ["proposal_published"]
    assert [m.kind for m in messages(world.author)] == ["proposal_submitted", "proposal_published"]


def test_supporters_hear_the_milestones_and_authors_hear_everything(app, world):
    proposal = world.published()
    proposals.support(proposal, world.other_child)
    db.session.commit()
    tell_children(proposal, "task_dispatched", unit="区教育和体育局")
    tell_children(proposal, "proposal_adopted", council="社区议事会", reason="", **{"for": 5, "against": 0,
                                                                                     "abstain": 1})
    db.session.commit()
    assert {m.kind for m in messages(world.other_child)} == {"proposal_adopted"}
    assert {"task_dispatched", "proposal_adopted"} <= {m.kind for m in messages(world.author)}


def test_the_bell_counts_ideas_with_news_and_other_messages_one_by_one(app, world):
    first, second = world.published(title="秋千坏了"), world.published(title="路灯不亮")
    tell_children(first, "task_dispatched", unit="区教育和体育局")
    tell_children(first, "task_progress", unit="区教育和体育局")
    tell_children(second, "task_dispatched", unit="周村交警大队")
    notify([world.author], "help_request_seen")
    db.session.commit()
    assert len(messages(world.author, read_at=None)) == 6  # published ×2, dispatched ×2, progress, help
    assert unread_count(world.author) == 3


def test_the_messages_page_groups_an_idea_and_says_how_many_are_new(app, world, client):
    proposal = world.published(title="秋千坏了")
    tell_children(proposal, "task_dispatched", unit="区教育和体育局")
    tell_children(proposal, "task_progress", unit="区教育和体育局")
    db.session.commit()
    client.post("/login", data={"username": "author", "password": PASSWORD})
    page = client.get("/notifications").get_data(as_text=True)
    assert "“秋千坏了”有 3 条新消息" in page
    assert page.count('class="idea-card"') == 1
    assert "这条建议以前的消息（3 条）" in page
    client.set_cookie("lang", "en")
    page = client.get("/notifications").get_data(as_text=True)
    assert "“秋千坏了” has 3 new messages" in page and "Earlier messages about this idea (3)" in page


def test_a_later_round_says_the_units_answered_again(app, world, english):
    proposal = world.published()
    tell_children(proposal, "proposal_answered")
    messages(world.author)[-1].read_at = clock.now()
    tell_children(proposal, "proposal_answered_again")
    db.session.commit()
    texts = [text_of(m) for m in messages(world.author) if m.kind.startswith("proposal_answered")]
    with english():
        texts = [text_of(m) for m in messages(world.author) if m.kind.startswith("proposal_answered")]
    assert len(set(texts)) == 2 and "again" in texts[1]


# --- adults choose how mail reaches them ------------------------------------------------------------


def test_an_adult_who_chose_one_mail_a_day_gets_one_digest_after_the_hour_and_never_a_second(app, world, client):
    client.post("/login", data={"username": "fac_a", "password": PASSWORD})
    page = client.get("/notifications/mail")
    assert page.status_code == 200 and "邮件通知" in page.get_data(as_text=True)
    response = client.post("/notifications/mail", data={"proposal_to_screen": "digest", "content_flagged": "none"})
    assert response.status_code == 302
    assert {(p.kind, p.delivery) for p in db.session.scalars(select(NotificationPreference))} == {
        ("proposal_to_screen", "digest"), ("content_flagged", "none")}

    world.submitted(title="秋千坏了")
    world.submitted(title="路灯不亮")
    assert mails("proposal_to_screen") == []
    assert db.session.scalar(select(func.count()).where(Notification.digest_due.is_(True))) == 2

    with clock.freeze(datetime(2026, 12, 2, 16, 30, tzinfo=ZHOUCUN)):
        remind()
    assert mails("digest") == []
    with clock.freeze(datetime(2026, 12, 2, 17, 10, tzinfo=ZHOUCUN)):
        remind()
    with clock.freeze(datetime(2026, 12, 2, 18, 10, tzinfo=ZHOUCUN)):
        remind()
    digest = mails("digest")
    assert len(digest) == 1 and digest[0].recipient == "fa@example.org"
    assert "秋千坏了" in digest[0].body and "路灯不亮" in digest[0].body and "2" in digest[0].subject
    assert db.session.scalar(select(func.count()).where(Notification.digest_due.is_(True))) == 0


def test_a_child_in_danger_reaches_the_adult_at_once_whatever_was_chosen(app, world, client):
    client.post("/login", data={"username": "fac_a", "password": PASSWORD})
    client.post("/notifications/mail", data={"proposal_to_screen": "none", "help_request_unsafe": "none"})
    assert db.session.get(NotificationPreference, (world.facilitator.id, "help_request_unsafe")) is None
    notify([world.facilitator], "help_request_unsafe", council="社区议事会")
    world.submitted()
    db.session.commit()
    assert [m.kind for m in mails()] == ["help_request_unsafe"]


def test_a_choice_that_does_not_exist_is_refused_beside_the_field_and_nothing_is_kept(app, world, client):
    client.post("/login", data={"username": "fac_a", "password": PASSWORD})
    response = client.post("/notifications/mail", data={"proposal_to_screen": "sometimes", "task_replied": "none"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not a valid choice" not in page
    assert db.session.scalars(select(NotificationPreference)).all() == []


def test_children_get_no_mail_and_no_mail_settings(app, world, client):
    client.post("/login", data={"username": "author", "password": PASSWORD})
    assert client.get("/notifications/mail").status_code == 403
    assert client.post("/notifications/mail", data={"proposal_to_screen": "none"}).status_code == 403


# --- the demo: a child can keep up --------------------------------------------------------------------


def test_after_the_whole_demo_no_child_has_20_things_in_the_bell_and_no_bell_holds_the_same_text_twice(app, demo):
    from council.accounts.models import Account

    accounts = list(db.session.scalars(select(Account)))
    busiest = max((unread_count(a), a.username) for a in accounts if a.is_child)
    assert 0 < busiest[0] < 20, busiest
    for account in accounts:
        texts = [text_of(m) for m in db.session.scalars(select(Notification).where(
            Notification.account_id == account.id, Notification.read_at.is_(None)))]
        assert len(texts) == len(set(texts)), account.username
