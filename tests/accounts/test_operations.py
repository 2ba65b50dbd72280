from datetime import date

import pytest
from sqlalchemy import select

from council.accounts import operations
from council.accounts.models import ConsentDecision, ConsentMethod, MembershipRole
from council.audit.models import Event
from council.calendar import clock
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from tests.conftest import PASSWORD


def test_password_is_stored_hashed(make):
    account = make.adult("hashme")
    assert PASSWORD not in account.password_hash
    assert operations.authenticate("hashme", PASSWORD) == account


def test_wrong_password_and_unknown_user_both_fail(make):
    make.adult("somebody")
    assert operations.authenticate("somebody", "wrong") is None
    assert operations.authenticate("nobody", PASSWORD) is None


def test_usernames_are_case_insensitive_and_unique(make):
    make.adult("Teacher1")
    assert operations.authenticate("TEACHER1", PASSWORD) is not None
    with pytest.raises(DomainError):
        make.adult("teacher1")


def test_child_under_14_without_consent_cannot_act(make):
    council = make.council()
    child = make.child(council, age=9, consent=False)
    assert operations.may_be_under_consent_age(child)
    assert not operations.can_act(child)
    with pytest.raises(operations.ConsentRequired):
        operations.ensure_can_act(child)


def test_child_with_consent_can_act(make):
    child = make.child(make.council(), age=9, consent=True)
    assert operations.can_act(child)
    operations.ensure_can_act(child)


@pytest.mark.parametrize(("age", "needs_consent"), [(6, True), (13, True), (14, True), (15, False), (17, False)])
def test_consent_age_is_judged_on_the_safe_side_of_the_birth_year(make, age, needs_consent):
    """Only the birth year is kept: someone born 14 years ago may still be 13 today."""
    child = make.child(make.council(), age=age, consent=False)
    assert operations.may_be_under_consent_age(child) is needs_consent
    assert operations.can_act(child) is not needs_consent


def test_adults_can_always_act(make):
    assert operations.can_act(make.adult())


def test_refused_consent_switches_the_account_off(make):
    council = make.council()
    child = make.child(council, age=8, consent=True)
    teacher = make.adult(role="teacher", council=council)
    operations.record_consent(child, guardian_name="父亲", relation="父亲", method=ConsentMethod.paper,
                              decision=ConsentDecision.withdrawn, actor=teacher)
    assert not child.is_active
    assert not operations.can_act(child)
    event = db.session.scalars(select(Event).where(Event.action == "consent_recorded")
                               .order_by(Event.id.desc())).first()
    assert (event.from_state, event.to_state, event.actor_id) == ("granted", "withdrawn", teacher.id)


def test_teacher_of_another_council_cannot_record_consent(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    child = make.child(community_a, consent=False)
    outsider = make.adult(role="teacher", council=community_b)
    with pytest.raises(PermissionDenied):
        operations.record_consent(child, guardian_name="x", relation="母亲", method=ConsentMethod.paper,
                                  decision=ConsentDecision.granted, actor=outsider)


def test_child_age_is_checked(make):
    with pytest.raises(DomainError):
        make.child(make.council(), age=30)


def test_facilitator_reaches_own_council_and_below_never_a_sibling(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    facilitator = make.adult(role="facilitator", council=street_a)
    assert facilitator.can_facilitate(street_a)
    assert facilitator.can_facilitate(community_a)
    assert not facilitator.can_facilitate(street_b)
    assert not facilitator.can_facilitate(community_b)
    assert not facilitator.can_facilitate(district)


def test_coordinator_reaches_every_council(make):
    district, *_, community_b = make.tree()
    coordinator = make.adult(system_role=operations.SystemRole.coordinator)
    assert coordinator.can_facilitate(district) and coordinator.can_facilitate(community_b)


def test_membership_counts_only_during_its_term(make):
    council = make.council()
    child = make.child(council)
    operations.add_membership(child, council, MembershipRole.member, starts_on=date(2020, 9, 1),
                              ends_on=date(2021, 8, 31))
    assert child.current_memberships(on=date(2021, 1, 1))
    assert not child.current_memberships(on=date(2022, 1, 1))


def test_roles_fit_the_kind_of_account(make):
    council = make.council()
    with pytest.raises(DomainError):
        operations.add_membership(make.adult(), council, MembershipRole.member, starts_on=clock.today())
    with pytest.raises(DomainError):
        operations.add_membership(make.child(council), council, MembershipRole.facilitator, starts_on=clock.today())
    with pytest.raises(DomainError):
        operations.add_membership(make.child(council), council, MembershipRole.member,
                                  starts_on=date(2022, 1, 1), ends_on=date(2021, 1, 1))


def test_only_a_facilitator_of_the_council_changes_its_members(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    outsider = make.adult(role="facilitator", council=street_b)
    with pytest.raises(PermissionDenied):
        operations.add_membership(make.child(community_a), community_a, MembershipRole.member,
                                  starts_on=clock.today(), actor=outsider)


def test_children_in_reach_follow_the_tree(make):
    district, street_a, street_b, community_a, community_b = make.tree()
    mine = make.child(community_a, consent=False)
    make.child(community_b, consent=False)
    facilitator = make.adult(role="facilitator", council=street_a)
    assert operations.children_in_reach(facilitator) == [mine]


@pytest.mark.parametrize(("setup", "endpoint"), [
    ("admin", "dashboards.admin"),
    ("coordinator", "dashboards.coordinator"),
    ("facilitator", "dashboards.facilitator"),
    ("teacher", "dashboards.teacher"),
    ("unit", "dashboards.desk"),
    ("child", "dashboards.me"),
])
def test_each_role_lands_on_its_own_page(make, setup, endpoint):
    council = make.council()
    if setup == "admin":
        account = make.adult(system_role=operations.SystemRole.admin)
    elif setup == "coordinator":
        account = make.adult(system_role=operations.SystemRole.coordinator)
    elif setup == "unit":
        account = make.adult()
        operations.add_unit_staff(account, make.unit(), starts_on=date(2020, 1, 1))
    elif setup == "child":
        account = make.child(council)
    else:
        account = make.adult(role=setup, council=council)
    assert operations.landing_endpoint(account) == endpoint


def test_an_unknown_name_costs_the_same_password_check_as_a_wrong_password(app, make, monkeypatch):
    """No account can be found by timing: both paths run the hasher once, on a hash of the configured method."""
    from werkzeug import security

    from council.accounts import operations as accounts

    make.adult("known_adult")
    db.session.commit()
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    checked: list[str] = []

    def counting(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return security.check_password_hash(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    assert accounts.authenticate("known_adult", "wrong password") is None
    known = list(checked)
    checked.clear()
    assert accounts.authenticate("nobody_has_this_name", "wrong password") is None
    assert len(known) == len(checked) == 1
    assert checked[0].startswith("scrypt")  # the dummy costs what a real scrypt check costs
