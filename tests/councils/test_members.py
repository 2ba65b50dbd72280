from datetime import date, timedelta

import pytest
from sqlalchemy import select

from council.accounts import operations
from council.accounts.models import Membership, MembershipRole, SystemRole
from council.audit.models import Event
from council.calendar import clock
from council.errors import DomainError, PermissionDenied
from council.extensions import db

TODAY = clock.today()
YESTERDAY = TODAY - timedelta(days=1)
LAST_YEAR = TODAY - timedelta(days=365)


def _sign_in(auth, client, account):
    db.session.commit()
    auth.login(account.username)
    client.set_cookie("lang", "en")


def _add(client, council, child, role="member", starts_on=LAST_YEAR, ends_on=None):
    return client.post(f"/councils/{council.id}/members", data={
        "child": child.id, "role": role, "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat() if ends_on else ""})


def _terms(council, child):
    db.session.expire_all()
    return list(db.session.scalars(select(Membership).where(
        Membership.council_id == council.id, Membership.account_id == child.id)))


def _events(action):
    return list(db.session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


# Who may open the page


@pytest.mark.parametrize("facilitates", ["community", "street above"])
def test_facilitator_of_the_council_or_above_adds_a_member(client, auth, make, facilitates):
    district, street_a, street_b, community_a, community_b = make.tree()
    facilitator = make.adult(role="facilitator", council=community_a if facilitates == "community" else street_a)
    child = make.child(community_a, nickname="小星星")
    _sign_in(auth, client, facilitator)

    assert client.get(f"/councils/{community_a.id}/members").status_code == 200
    response = _add(client, community_a, child)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/councils/{community_a.id}/members")
    [term] = _terms(community_a, child)
    assert (term.role, term.starts_on, term.ends_on) == (MembershipRole.member, LAST_YEAR, None)
    assert "小星星" in client.get(f"/councils/{community_a.id}").get_data(as_text=True)


def test_coordinator_may_manage_any_council(client, auth, make):
    *_, community_b = make.tree()
    _sign_in(auth, client, make.adult(system_role=SystemRole.coordinator))
    assert client.get(f"/councils/{community_b.id}/members").status_code == 200


@pytest.mark.parametrize("who", ["sibling facilitator", "facilitator below", "teacher", "child"])
def test_anyone_else_is_refused(client, auth, make, who):
    district, street_a, street_b, community_a, community_b = make.tree()
    child = make.child(community_a)
    membership = operations.add_membership(child, street_a, MembershipRole.member, starts_on=LAST_YEAR)
    account = {
        "sibling facilitator": lambda: make.adult(role="facilitator", council=street_b),
        "facilitator below": lambda: make.adult(role="facilitator", council=community_a),
        "teacher": lambda: make.adult(role="teacher", council=street_a),
        "child": lambda: child,
    }[who]()
    candidate = make.child(community_a)
    _sign_in(auth, client, account)

    assert client.get(f"/councils/{street_a.id}/members").status_code == 403
    assert _add(client, street_a, candidate).status_code == 403
    assert client.post(f"/councils/{street_a.id}/members/{membership.id}/end").status_code == 403
    assert _terms(street_a, child)[0].ends_on is None


def test_visitors_are_sent_to_sign_in(client, make):
    council = make.council()
    db.session.commit()
    response = client.get(f"/councils/{council.id}/members")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_council_is_404(client, auth, make):
    _sign_in(auth, client, make.adult(system_role=SystemRole.coordinator))
    assert client.get("/councils/99999/members").status_code == 404


def test_manage_link_shows_only_for_facilitators(client, auth, make):
    district, street_a, *_ = make.tree()
    facilitator = make.adult(role="facilitator", council=district)
    db.session.commit()
    client.set_cookie("lang", "en")
    assert "Manage members" not in client.get(f"/councils/{street_a.id}").get_data(as_text=True)
    _sign_in(auth, client, facilitator)
    page = client.get(f"/councils/{street_a.id}").get_data(as_text=True)
    assert "Manage members" in page and f"/councils/{street_a.id}/members" in page


# Who may become a member


def test_children_of_area_are_the_active_children_of_the_council_and_below(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    below = make.child(community_a, nickname="Bo", consent=False)
    here = make.child(street_a, nickname="Amy", consent=False)
    make.child(community_b, nickname="Cai", consent=False)
    gone = make.child(street_a, nickname="Dan", consent=False)
    gone.active = False
    assert operations.children_of_area(street_a) == [here, below]
    assert operations.children_of_area(community_a) == [below]


def test_a_child_from_another_area_is_refused(client, auth, make, english):
    district, street_a, street_b, community_a, community_b = make.tree()
    facilitator = make.adult(role="facilitator", council=street_a)
    outsider = make.child(community_b, nickname="外区的孩子")
    with english(), pytest.raises(DomainError, match="not registered in this council's area"):
        operations.add_membership(outsider, community_a, MembershipRole.member, starts_on=TODAY, actor=facilitator)

    _sign_in(auth, client, facilitator)
    response = _add(client, community_a, outsider)
    assert response.status_code == 400
    assert "外区的孩子" not in response.get_data(as_text=True)  # never offered as a choice
    assert _terms(community_a, outsider) == []


def test_the_choices_name_the_class_but_never_the_real_name(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council, nickname="小海豚", real_name="李晓雨")
    _sign_in(auth, client, facilitator)
    page = client.get(f"/councils/{council.id}/members").get_data(as_text=True)
    assert "小海豚 (三年级一班)" in page and "李晓雨" not in page
    viewed = _events("child_data_viewed")
    assert [(e.subject_id, e.actor_id, e.data["view"]) for e in viewed] == [(child.id, facilitator.id,
                                                                             "council_members")]


# Terms


def test_an_overlapping_term_in_the_same_role_is_refused(client, auth, make, english):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council, nickname="小星星")
    operations.add_membership(child, council, MembershipRole.member, starts_on=date(2023, 9, 1),
                              ends_on=date(2024, 8, 31), actor=facilitator)
    with english(), pytest.raises(DomainError, match="already holds the role"):
        operations.add_membership(child, council, MembershipRole.member, starts_on=date(2024, 3, 1),
                                  actor=facilitator)
    with pytest.raises(DomainError):
        operations.add_membership(child, council, MembershipRole.member, starts_on=date(2022, 9, 1),
                                  ends_on=date(2023, 9, 1), actor=facilitator)
    operations.add_membership(child, council, MembershipRole.member, starts_on=date(2024, 9, 1), actor=facilitator)

    _sign_in(auth, client, facilitator)
    response = _add(client, council, child, starts_on=TODAY)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "小星星 already holds the role “Council member” in this council" in page
    assert len(_terms(council, child)) == 2


def test_a_new_term_may_follow_an_ended_one_and_other_roles_may_overlap(make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council)
    first = operations.add_membership(child, council, MembershipRole.member, starts_on=LAST_YEAR, actor=facilitator)
    operations.end_membership(first, facilitator, on=YESTERDAY)
    operations.add_membership(child, council, MembershipRole.member, starts_on=TODAY, actor=facilitator)
    operations.add_membership(child, council, MembershipRole.chair, starts_on=TODAY, actor=facilitator)
    assert {m.role for m in child.current_memberships()} == {MembershipRole.member, MembershipRole.chair}


def test_chair_shows_its_label(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council, nickname="小海豚")
    _sign_in(auth, client, facilitator)
    response = client.post(f"/councils/{council.id}/members", follow_redirects=True, data={
        "child": child.id, "role": "chair", "starts_on": LAST_YEAR.isoformat()})
    page = response.get_data(as_text=True)
    assert "小海豚 is now on the council as Chair." in page
    assert '<th scope="row">小海豚</th><td>Chair</td>' in page
    assert "Chair" in client.get(f"/councils/{council.id}").get_data(as_text=True)


def test_form_errors_keep_the_choices_and_answer_400(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    make.child(council, nickname="甲")
    child = make.child(council, nickname="乙")
    _sign_in(auth, client, facilitator)
    response = client.post(f"/councils/{council.id}/members", data={
        "child": child.id, "role": "vice_chair", "starts_on": "", "ends_on": "2030-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write the first day of the term." in page
    assert f'<option selected value="{child.id}">' in page
    assert '<option selected value="vice_chair">' in page
    assert 'value="2030-01-01"' in page
    assert _terms(council, child) == []


def test_a_child_must_be_chosen(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    make.child(council)
    _sign_in(auth, client, facilitator)
    response = client.post(f"/councils/{council.id}/members", data={
        "child": "0", "role": "member", "starts_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Choose a child." in response.get_data(as_text=True)


def test_only_child_roles_are_offered(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council)
    _sign_in(auth, client, facilitator)
    response = _add(client, council, child, role="facilitator")
    assert response.status_code == 400
    assert _terms(council, child) == []


def test_a_term_cannot_end_before_it_starts(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council)
    _sign_in(auth, client, facilitator)
    response = _add(client, council, child, starts_on=TODAY, ends_on=YESTERDAY)
    assert response.status_code == 400
    assert "A term cannot end before it starts." in response.get_data(as_text=True)
    assert _terms(council, child) == []

    membership = operations.add_membership(child, council, MembershipRole.member, starts_on=TODAY,
                                           actor=facilitator)
    db.session.commit()
    response = client.post(f"/councils/{council.id}/members/{membership.id}/end",
                           data={f"end-{membership.id}-ends_on": YESTERDAY.isoformat()})
    assert response.status_code == 400
    assert "A term cannot end before it starts. This one starts on" in response.get_data(as_text=True)
    assert _terms(council, child)[0].ends_on is None


def test_ending_a_term_keeps_it_in_the_history(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council, nickname="往届议事员")
    membership = operations.add_membership(child, council, MembershipRole.member, starts_on=LAST_YEAR,
                                           actor=facilitator)
    _sign_in(auth, client, facilitator)
    assert "往届议事员" in client.get(f"/councils/{council.id}").get_data(as_text=True)

    response = client.post(f"/councils/{council.id}/members/{membership.id}/end",
                           data={f"end-{membership.id}-ends_on": YESTERDAY.isoformat()})
    assert response.status_code == 302
    history = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The term of 往届议事员 ends on" in history and "Ended" in history

    [term] = _terms(council, child)
    assert term.ends_on == YESTERDAY
    assert term.is_current(LAST_YEAR) and not term.is_current(TODAY)
    assert "往届议事员" not in client.get(f"/councils/{council.id}").get_data(as_text=True)


def test_ending_defaults_to_today(client, auth, make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council)
    membership = operations.add_membership(child, council, MembershipRole.chair, starts_on=LAST_YEAR)
    _sign_in(auth, client, facilitator)
    assert client.post(f"/councils/{council.id}/members/{membership.id}/end").status_code == 302
    assert _terms(council, child)[0].ends_on == TODAY


def test_an_ended_term_cannot_be_ended_again(make, english):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    membership = operations.add_membership(make.child(council), council, MembershipRole.member,
                                           starts_on=LAST_YEAR, ends_on=YESTERDAY)
    with english(), pytest.raises(DomainError, match="already ended"):
        operations.end_membership(membership, facilitator, on=TODAY)
    assert membership.ends_on == YESTERDAY


def test_only_a_facilitator_ends_a_term(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    membership = operations.add_membership(make.child(community_a), community_a, MembershipRole.member,
                                           starts_on=LAST_YEAR)
    with pytest.raises(PermissionDenied):
        operations.end_membership(membership, make.adult(role="facilitator", council=street_b), on=TODAY)
    assert membership.ends_on is None


def test_a_term_of_another_council_is_404(client, auth, make):
    district, street_a, street_b, community_a, community_b = make.tree()
    facilitator = make.adult(role="facilitator", council=street_a)
    elsewhere = operations.add_membership(make.child(community_b), community_b, MembershipRole.member,
                                          starts_on=LAST_YEAR)
    teacher = make.adult(role="teacher", council=community_a)
    _sign_in(auth, client, facilitator)
    assert client.post(f"/councils/{community_a.id}/members/{elsewhere.id}/end").status_code == 404
    assert client.post(f"/councils/{community_a.id}/members/{teacher.memberships[0].id}/end").status_code == 404
    assert client.post(f"/councils/{community_a.id}/members/99999/end").status_code == 404


def test_adding_and_ending_are_recorded(make):
    council = make.council()
    facilitator = make.adult(role="facilitator", council=council)
    child = make.child(council)
    membership = operations.add_membership(child, council, MembershipRole.rotating_chair, starts_on=LAST_YEAR,
                                           actor=facilitator)
    operations.end_membership(membership, facilitator, on=TODAY)
    added, ended = _events("membership_added")[-1], _events("membership_ended")[-1]
    assert (added.subject_id, added.actor_id, added.council_id, added.to_state) == (
        membership.id, facilitator.id, council.id, "rotating_chair")
    assert (ended.subject_id, ended.actor_id, ended.council_id, ended.from_state) == (
        membership.id, facilitator.id, council.id, "rotating_chair")
    assert ended.data["ends_on"] == TODAY.isoformat()
