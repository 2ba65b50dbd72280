"""One-time set-password links for adults (council/accounts/welcome.py): the office gives the link, the adult sets a
password with it once and is signed in."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from council.accounts import welcome
from council.accounts.models import AccountSession, SystemRole
from council.audit.models import Event
from council.calendar import clock
from council.extensions import db
from council.notifications.models import OutboxMail
from tests.conftest import PASSWORD

NEW_PASSWORD = "我家门口有一棵老槐树呢"


@pytest.fixture
def office(app, make):
    coordinator = make.adult("office1", system_role=SystemRole.coordinator, name="区妇儿工委办")
    adult = make.adult("wanglaoshi", name="王老师", email="wang@example.cn")
    db.session.commit()
    return coordinator, adult


def path_of(url: str) -> str:
    return urlsplit(url).path


def token_of(url: str) -> str:
    return path_of(url).rsplit("/", 1)[1]


def issue(adult, actor, **kwargs) -> str:
    url = welcome.issue_link(adult, actor=actor, **kwargs)
    db.session.commit()
    return url


def set_password(client, url, password=NEW_PASSWORD, again=None):
    return client.post(path_of(url), data={"password": password, "again": password if again is None else again})


def test_a_link_is_kept_only_as_a_hash_and_its_event_never_holds_the_token(client, office):
    coordinator, adult = office
    url = issue(adult, coordinator)
    token = token_of(url)
    assert url.startswith("http") and path_of(url) == f"/welcome/{token}" and len(token) >= 40
    link = db.session.scalars(select(welcome.WelcomeLink)).one()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.account_id == adult.id and link.created_by_id == coordinator.id
    assert link.expires_at - link.created_at == timedelta(days=14)
    event = db.session.scalars(select(Event).where(Event.action == "welcome_link_issued")).one()
    assert (event.subject_id, event.actor_id) == (adult.id, coordinator.id)
    assert token not in repr(event.data) and token not in repr(link.__dict__.get("token_hash"))
    assert event.label == "生成设置密码链接"


def test_the_link_sets_the_password_once_and_signs_the_adult_in(client, office):
    coordinator, adult = office
    url = issue(adult, coordinator)
    page = client.get(path_of(url))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "王老师" in text and "wanglaoshi" in text and "至少 10 个字符" in text
    done = set_password(client, url)
    assert done.status_code == 302 and done.headers["Location"] == "/me"
    landing = client.get("/me").get_data(as_text=True)
    assert "密码已设置" in landing and "wanglaoshi" in landing
    db.session.expire_all()
    assert check_password_hash(adult.password_hash, NEW_PASSWORD)
    assert db.session.scalar(select(Event.id).where(Event.action == "welcome_link_used",
                                                    Event.subject_id == adult.id)) is not None
    hash_after = adult.password_hash

    again = client.get(path_of(url))  # opened again: used, says so
    assert again.status_code == 410 and "这个链接已经用过" in again.get_data(as_text=True)
    second = set_password(client.application.test_client(), url, "另一句只有我知道的话")  # a second tap
    assert second.status_code == 410 and "这个链接已经用过" in second.get_data(as_text=True)
    db.session.expire_all()
    assert adult.password_hash == hash_after
    assert len(db.session.scalars(select(Event).where(Event.action == "welcome_link_used")).all()) == 1


def test_signing_in_afterwards_uses_the_new_password(client, auth, office):
    coordinator, adult = office
    set_password(client.application.test_client(), issue(adult, coordinator))
    assert auth.login("wanglaoshi", PASSWORD).status_code == 400
    assert auth.login("wanglaoshi", NEW_PASSWORD).status_code == 302


def test_setting_the_password_ends_the_adults_other_sessions(client, auth, office):
    coordinator, adult = office
    auth.login("wanglaoshi", PASSWORD)
    assert client.get("/me").status_code == 200
    set_password(client.application.test_client(), issue(adult, coordinator))
    assert client.get("/me").status_code == 302  # the old device is signed out
    assert db.session.scalar(select(AccountSession.ended_why).where(AccountSession.account_id == adult.id)
                             .order_by(AccountSession.id)) == "password_changed"


def test_a_new_link_ends_the_earlier_one(client, office):
    coordinator, adult = office
    first = issue(adult, coordinator)
    second = issue(adult, coordinator)
    old = client.get(path_of(first))
    assert old.status_code == 410 and "只有最新的链接有效" in old.get_data(as_text=True)
    assert set_password(client, first).status_code == 410
    assert client.get(path_of(second)).status_code == 200
    assert welcome.live_link(adult).token_hash == hashlib.sha256(token_of(second).encode()).hexdigest()


def test_a_link_works_for_14_days_and_then_says_to_ask_the_office(client, office):
    coordinator, adult = office
    start = clock.now()
    with clock.freeze(start):
        url = issue(adult, coordinator)
    with clock.freeze(start + timedelta(days=14) - timedelta(minutes=1)):
        assert client.get(path_of(url)).status_code == 200
    with clock.freeze(start + timedelta(days=14)):
        late = client.get(path_of(url))
        assert late.status_code == 410 and "已经失效" in late.get_data(as_text=True)
        assert set_password(client, url).status_code == 410
        with pytest.raises(welcome.LinkUnusable):
            welcome.redeem(token_of(url), password=NEW_PASSWORD, again=NEW_PASSWORD)
    db.session.expire_all()
    assert check_password_hash(adult.password_hash, PASSWORD)


@pytest.mark.parametrize(("password", "again", "field", "says"), [
    ("wanglaoshi", "wanglaoshi", "password", "密码不能和用户名相同"),
    ("短密码", "短密码", "password", "至少需要 10 个字符"),
    ("password123", "password123", "password", "常见密码名单"),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "again", "两次输入的密码不一样"),
])
def test_a_weak_or_mistyped_password_is_refused_beside_its_field(client, office, password, again, field, says):
    coordinator, adult = office
    url = issue(adult, coordinator)
    refused = set_password(client, url, password, again)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    box = page.split(f'id="{field}-error"')[1].split("</p>")[0]
    assert says in box
    assert 'value="wanglaoshi"' in page  # the username stays shown; no password is sent back
    assert page.count(f'value="{password}"') == (1 if password == "wanglaoshi" else 0)
    db.session.expire_all()
    assert check_password_hash(adult.password_hash, PASSWORD)
    assert welcome.live_link(adult) is not None  # the link still works for the next try
    assert client.get("/me").status_code == 302  # not signed in


def test_an_unknown_link_says_to_ask_the_office_in_the_readers_language(client, reference):
    page = client.get("/welcome/not-a-link")
    assert page.status_code == 404 and "向区妇儿工委办公室" in page.get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/welcome/not-a-link").get_data(as_text=True)
    assert "ask the district office for a new link" in english and "向区" not in english


def test_the_page_speaks_the_adults_language_until_the_browser_chooses(client, app, make):
    coordinator = make.adult("office1", system_role=SystemRole.coordinator)
    adult = make.adult("smith", name="Ms Smith")
    adult.locale = "en"
    db.session.commit()
    url = issue(adult, coordinator)
    assert "Choose your password" in client.get(path_of(url)).get_data(as_text=True)
    done = set_password(client, url)
    assert "Your password is set" in client.get(done.headers["Location"]).get_data(as_text=True)
    client.set_cookie("lang", "zh_Hans_CN")
    assert "设置你的密码" in client.get(path_of(issue(adult, coordinator))).get_data(as_text=True)


def test_a_mailed_link_leaves_through_the_outbox_in_the_adults_language(app, make, office):
    coordinator, adult = office
    url = issue(adult, coordinator, mail=True)
    mail = db.session.scalars(select(OutboxMail)).one()
    day = welcome.live_link(adult).expires_on
    assert mail.recipient == "wang@example.cn" and mail.kind == "welcome_link"
    assert url in mail.body and "wanglaoshi" in mail.body and f"{day.year}年{day.month}月{day.day}日" in mail.body
    assert "设置" in mail.subject
    english = make.adult("smith", name="Ms Smith", email="smith@example.org")
    english.locale = "en"
    issue(english, coordinator, mail=True)
    sent = db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == "smith@example.org"))
    assert sent.subject == "Choose your password for the children's council platform"
    assert "It works once, until" in sent.body
    event = db.session.scalars(select(Event).where(Event.action == "welcome_link_issued")
                               .order_by(Event.id)).first()
    assert event.data["mailed"] is True and token_of(url) not in repr(event.data)


def test_no_mail_without_an_address(app, make, office):
    coordinator, _adult = office
    issue(make.adult("noaddress"), coordinator, mail=True)
    assert db.session.scalars(select(OutboxMail)).all() == []


def test_only_adults_get_links_and_only_the_office_gives_them(app, make, office):
    from council.errors import DomainError

    coordinator, adult = office
    admin = make.adult("boss", system_role=SystemRole.admin)
    teacher = make.adult("teacher1")
    child = make.child(make.council(), consent=False)
    with pytest.raises(DomainError):
        welcome.issue_link(child, actor=coordinator)
    with pytest.raises(DomainError):
        welcome.issue_link(adult, actor=teacher)
    with pytest.raises(DomainError):  # a link opens an account: an administrator's only from an administrator
        welcome.issue_link(admin, actor=coordinator)
    assert welcome.issue_link(admin, actor=admin)
    adult.active = False
    with pytest.raises(DomainError):
        welcome.issue_link(adult, actor=coordinator)


def test_pending_accounts_are_those_with_a_live_link_never_used(app, make, office):
    coordinator, adult = office
    used, expired, none = make.adult("used1"), make.adult("expired1"), make.adult("none1")
    issue(adult, coordinator)
    welcome.redeem(token_of(issue(used, coordinator)), password=NEW_PASSWORD, again=NEW_PASSWORD)
    issue(used, coordinator)  # a second link after one was used: the adult had set a password before
    with clock.freeze(clock.now() - timedelta(days=15)):
        issue(expired, coordinator)
    db.session.commit()
    assert welcome.pending_accounts([adult, used, expired, none]) == {adult.id}
    assert welcome.pending_accounts([]) == set()


# --- the office's page ------------------------------------------------------------------------------------

def test_the_office_prints_a_new_link_for_an_adult(client, auth, office):
    coordinator, adult = office
    auth.login("office1")
    listing = client.get("/accounts/adults?q=wang").get_data(as_text=True).split("<tbody>")[1]
    assert "王老师" in listing and "区妇儿工委办" not in listing
    sheet = client.post(f"/accounts/{adult.id}/welcome-link", data={"q": "wang"})
    text = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and "王老师" in text and "wanglaoshi" in text and '<svg' in text
    url = text.split('class="welcome-link">')[1].split("<")[0]
    day = welcome.live_link(adult).expires_on
    assert f"{day.year}年{day.month}月{day.day}日" in text
    assert "等待：链接还没用" in client.get("/accounts/adults").get_data(as_text=True)
    auth.logout()
    assert client.get(path_of(url)).status_code == 200


def test_the_office_mails_a_new_link(client, auth, office):
    coordinator, adult = office
    auth.login("office1")
    sent = client.post(f"/accounts/{adult.id}/welcome-link", data={"mail": "1"})
    assert sent.status_code == 302 and sent.headers["Location"] == "/accounts/adults"
    assert "已经通过邮件发给" in client.get("/accounts/adults").get_data(as_text=True)
    assert db.session.scalar(select(OutboxMail.recipient)) == "wang@example.cn"
    nothing = client.post(f"/accounts/{coordinator.id}/welcome-link", data={"mail": "1"})  # no address
    assert nothing.status_code == 302
    assert "没有电子邮箱" in client.get("/accounts/adults").get_data(as_text=True)
    assert len(db.session.scalars(select(welcome.WelcomeLink)).all()) == 1


def test_only_the_office_gives_links_on_the_page(client, auth, make, office):
    coordinator, adult = office
    make.adult("teacher1")
    child = make.child(make.council(), consent=False)
    db.session.commit()
    auth.login("teacher1")
    assert client.get("/accounts/adults").status_code == 403
    assert client.post(f"/accounts/{adult.id}/welcome-link").status_code == 403
    auth.logout()
    auth.login("office1")
    assert client.post(f"/accounts/{child.id}/welcome-link").status_code == 404
    assert client.post("/accounts/999999/welcome-link").status_code == 404
    assert db.session.scalars(select(welcome.WelcomeLink)).all() == []


def test_an_adult_made_without_a_password_opens_with_none_until_the_link(client, auth, app, office):
    from council.accounts.operations import NO_PASSWORD, authenticate, create_adult

    coordinator, _adult = office
    newcomer = create_adult("zhaolaoshi", None, "赵老师", actor=coordinator)  # as an import or the setup makes one
    db.session.commit()
    assert newcomer.password_hash == NO_PASSWORD
    for tried in ("", NO_PASSWORD, "!no-password", PASSWORD):
        assert authenticate("zhaolaoshi", tried) is None
    assert auth.login("zhaolaoshi", NO_PASSWORD).status_code != 302  # the sign-in page again, not signed in
    assert client.get("/me").status_code == 302

    set_password(client, issue(newcomer, coordinator))
    assert authenticate("zhaolaoshi", NEW_PASSWORD) == newcomer
