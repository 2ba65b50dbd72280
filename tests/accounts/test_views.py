import pytest
from sqlalchemy import select

from council.accounts.models import ChildProfile
from council.audit.models import Event
from council.councils.models import Council
from council.extensions import db
from tests.conftest import PASSWORD

DEMO_PASSWORD = "zhoucun2026"


def test_login_page_has_the_documented_fields(client, reference):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    assert "登录" in page


def test_login_form_carries_a_csrf_token_and_refuses_without_it(own_app, demo):
    app = own_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    refused = client.post("/login", data={"username": "child", "password": DEMO_PASSWORD})
    assert refused.status_code == 400
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/login", data={"username": "child", "password": DEMO_PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302


@pytest.mark.parametrize(("username", "landing"), [
    ("admin", "/admin"), ("coordinator", "/coordinator"), ("facilitator", "/facilitator"),
    ("facilitator_community", "/facilitator"), ("teacher", "/teacher"), ("unit_edu", "/desk"),
    ("unit_traffic", "/desk"), ("child", "/me"), ("member", "/me"), ("child_waiting", "/me"), ("teen", "/me"),
])
def test_every_demo_account_signs_in_and_lands_on_its_page(client, auth, demo, username, landing):
    response = auth.login(username, DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    page = client.get(landing)
    assert page.status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_message(client, auth, make):
    make.adult("known")
    wrong = auth.login("known", "nope")
    unknown = auth.login("unknown", "nope")
    assert wrong.status_code == unknown.status_code == 400
    message = "用户名和密码对不上"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_typed_username_is_kept_after_a_failed_sign_in(auth, make):
    page = auth.login("someone-typed-this", "nope").get_data(as_text=True)
    assert 'value="someone-typed-this"' in page


def test_empty_form_says_what_is_missing(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "请填写用户名" in page and "请填写密码" in page


def test_switched_off_account_cannot_sign_in(client, auth, make):
    account = make.adult("gone")
    account.active = False
    db.session.commit()
    response = auth.login("gone")
    assert response.status_code == 400
    assert "账号已经停用" in response.get_data(as_text=True)


def test_sign_in_and_out_are_in_the_event_log(client, auth, make):
    account = make.adult("logged")
    db.session.commit()
    auth.login("logged")
    auth.logout()
    auth.login("logged", "wrong")
    actions = db.session.scalars(select(Event.action).where(Event.subject_id == account.id,
                                                            Event.subject_type == "accounts").order_by(Event.id)).all()
    assert actions[-3:] == ["signed_in", "signed_out", "sign_in_failed"]


def test_sign_out_needs_a_post(client, auth, make):
    make.adult("poster")
    db.session.commit()
    auth.login("poster")
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/admin").status_code == 302  # signed out: sent to sign in


def test_next_only_goes_to_this_site(client, make):
    make.adult("nexter")
    db.session.commit()
    inside = client.post("/login", data={"username": "nexter", "password": PASSWORD, "next": "/plan/"})
    assert inside.headers["Location"] == "/plan/"
    client.post("/logout")
    outside = client.post("/login", data={"username": "nexter", "password": PASSWORD, "next": "//evil.example/"})
    assert outside.headers["Location"] == "/"


def test_private_page_sends_visitor_to_sign_in_and_back(client, demo):
    response = client.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/me")


def test_child_without_consent_sees_a_kind_explanation(client, auth, demo):
    auth.login("child_waiting", DEMO_PASSWORD)
    page = client.get("/me").get_data(as_text=True)
    assert "正在等监护人同意" in page


def test_child_with_consent_is_ready(client, auth, demo):
    auth.login("child", DEMO_PASSWORD)
    page = client.get("/me").get_data(as_text=True)
    assert "正在等监护人同意" not in page
    assert "小星星" in page


def test_teacher_roster_shows_private_details_and_logs_each_view(client, auth, demo):
    auth.login("teacher", DEMO_PASSWORD)
    page = client.get("/teacher").get_data(as_text=True)
    assert "王小明" in page and "小星星" in page
    assert "孙浩然" not in page  # a child of another council
    viewed = db.session.scalars(select(Event).where(Event.action == "child_data_viewed")).all()
    assert all(e.data["view"] == "teacher_roster" for e in viewed)
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    pupils = db.session.scalars(select(ChildProfile.account_id).where(ChildProfile.home_council_id == school.id))
    assert {e.subject_id for e in viewed} == set(pupils)  # one entry per child shown
