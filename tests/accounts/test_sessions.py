"""Signing out means signed out: sessions live on the server, and a replayed cookie is worth nothing once its
session has ended (council/accounts/sessions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from council.accounts.models import AccountSession, ConsentDecision, ConsentMethod
from council.calendar import clock
from council.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def people(make):
    district, _a, _b, community, _c = make.tree()
    adult = make.adult("office_adult", system_role=None)
    child = make.child(community, username="tablet_child", nickname="小平板")
    db.session.commit()
    return adult, child


def device(app, username: str, password: str = PASSWORD):
    """A browser of its own, signed in."""
    browser = app.test_client()
    browser.set_cookie("lang", "en")
    response = browser.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def replay(app, browser):
    """Another browser holding a copy of ``browser``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def signed_in(browser) -> bool:
    return browser.get("/me").status_code == 200


def test_a_copied_cookie_opens_nothing_after_its_owner_signed_out(app, people):
    laptop = device(app, "office_adult")
    copy = replay(app, laptop)
    assert signed_in(copy)  # a copy works while the session is open: it is the same session
    laptop.post("/logout")
    assert not signed_in(laptop) and not signed_in(copy)
    [row] = db.session.scalars(select(AccountSession)).all()
    assert row.ended_why == "signed_out" and row.ended_at is not None


def test_a_password_change_signs_out_every_other_device(app, people):
    phone, laptop = device(app, "office_adult"), device(app, "office_adult")
    old_cookie = replay(app, phone)
    changed = laptop.post("/account/password", data={"current": PASSWORD, "new": "a brand new long sentence",
                                                     "again": "a brand new long sentence"})
    assert changed.status_code == 302
    assert not signed_in(phone) and not signed_in(old_cookie)
    assert signed_in(laptop)  # where the password was typed


def test_sign_out_on_all_devices(app, people):
    phone, laptop = device(app, "office_adult"), device(app, "office_adult")
    assert "Sign out on all devices" in laptop.get("/account/password").get_data(as_text=True)
    response = laptop.post("/logout", data={"everywhere": "1"}, follow_redirects=True)
    assert "You are signed out on every device." in response.get_data(as_text=True)
    assert not signed_in(phone) and not signed_in(laptop)


def test_a_new_picture_code_and_a_switched_off_account_end_the_childs_sessions(app, people, make):
    from council.accounts import operations as accounts
    from council.rosters import operations as rosters

    _adult, child = people
    teacher = make.adult("consent_teacher", role="teacher", council=child.child_profile.home_council)
    group = rosters.create_class(teacher, child.child_profile.home_council, "三年级一班")
    sign_in = rosters.enrol(group, child)
    db.session.commit()
    tablet = device(app, "tablet_child")
    assert signed_in(tablet)
    rosters.issue_picture_code(sign_in, teacher)  # the teacher prints a new card
    db.session.commit()
    assert not signed_in(tablet)

    tablet = device(app, "tablet_child")
    accounts.record_consent(child, guardian_name="家长", relation="母亲", method=ConsentMethod.paper,
                            decision=ConsentDecision.withdrawn, actor=teacher)
    db.session.commit()
    assert not signed_in(tablet)


def test_a_childs_session_ends_after_the_idle_time_and_an_adults_does_not(app, people):
    tablet, laptop = device(app, "tablet_child"), device(app, "office_adult")
    assert signed_in(tablet) and signed_in(laptop)
    later = clock.now() + timedelta(minutes=app.config["CHILD_IDLE_MINUTES"] + 1)
    with clock.freeze(later):
        response = tablet.get("/me", follow_redirects=True)
        assert "nobody used this page for a while" in response.get_data(as_text=True)
        assert not signed_in(tablet)
        assert signed_in(laptop)
    ended = db.session.scalar(select(AccountSession).where(AccountSession.ended_why == "idle"))
    assert ended is not None


def test_a_child_in_use_stays_signed_in(app, people):
    tablet = device(app, "tablet_child")
    start = clock.now()
    for minutes in (20, 40, 60):  # a page every twenty minutes
        with clock.freeze(start + timedelta(minutes=minutes)):
            assert signed_in(tablet)


def test_not_me_signs_the_child_out_and_shows_the_class_pictures(app, people):
    tablet = device(app, "tablet_child")
    page = tablet.get("/me").get_data(as_text=True)
    assert "This is not me" in page
    response = tablet.post("/logout", data={"not_me": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kids")
    assert not signed_in(tablet)
    assert "This is not me" not in device(app, "office_adult").get("/me").get_data(as_text=True)
