import re

from sqlalchemy import select

from council.accounts.operations import can_act
from council.audit.models import Event
from council.extensions import db
from tests.conftest import PASSWORD


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.set_cookie("lang", "en")


def test_teacher_records_consent_and_the_child_can_take_part(client, make):
    council = make.council()
    child = make.child(council, username="waiting", consent=False, age=8)
    make.adult("class_teacher", role="teacher", council=council)
    db.session.commit()
    assert not can_act(child)
    sign_in(client, "class_teacher")
    page = client.get(f"/children/{child.id}/consent").get_data(as_text=True)
    assert "Purpose" in page and "may say no" in page and "王小明" in page
    response = client.post(f"/children/{child.id}/consent", data={
        "guardian_name": "王爸爸", "relation": "父亲", "method": "paper", "decision": "granted"})
    assert response.status_code == 302
    db.session.refresh(child)
    assert can_act(child)
    consent = child.child_profile.latest_consent
    assert (consent.guardian_name, consent.relation, consent.method.value) == ("王爸爸", "父亲", "paper")
    viewed = db.session.scalars(select(Event).where(Event.action == "child_data_viewed",
                                                    Event.subject_id == child.id)).all()
    assert [e.data["view"] for e in viewed] == ["consent"]


def test_refusal_switches_the_account_off(client, make):
    council = make.council()
    child = make.child(council, username="refused", consent=False, age=9)
    make.adult("class_teacher", role="teacher", council=council)
    db.session.commit()
    sign_in(client, "class_teacher")
    client.post(f"/children/{child.id}/consent", data={
        "guardian_name": "李妈妈", "relation": "母亲", "method": "in_person", "decision": "refused"})
    db.session.refresh(child)
    assert not child.is_active


def test_missing_name_keeps_the_form_and_says_why(client, make):
    council = make.council()
    child = make.child(council, username="kid", consent=False)
    make.adult("class_teacher", role="teacher", council=council)
    db.session.commit()
    sign_in(client, "class_teacher")
    response = client.post(f"/children/{child.id}/consent", data={
        "guardian_name": "", "relation": "母亲", "method": "paper", "decision": "granted"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write the guardian" in page
    assert re.search(r'<input checked[^>]*value="paper"', page)  # what was chosen stays chosen


def test_another_councils_teacher_cannot_open_the_consent_page(client, make):
    district, street_a, street_b, community_a, community_b = make.tree()
    child = make.child(community_a, username="kid", consent=False)
    make.adult("other_teacher", role="teacher", council=community_b)
    db.session.commit()
    sign_in(client, "other_teacher")
    # Another council's child does not exist for this teacher: the answer a missing id gets (council/visibility.py).
    assert client.get(f"/children/{child.id}/consent").status_code == 404
    assert client.post(f"/children/{child.id}/consent", data={
        "guardian_name": "x", "relation": "母亲", "method": "paper", "decision": "granted"}).status_code == 404
