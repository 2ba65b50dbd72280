"""One tap, one effect, even when eight arrive together (council/claims.py): a guardian's answer is recorded once,
by the teacher or online, and a new consent slip is made once."""

from __future__ import annotations

import re

from sqlalchemy import select

from council.accounts.models import GuardianConsent
from council.audit.models import Event
from council.extensions import db
from council.privacy.models import DataRequest
from council.rosters import operations
from council.rosters.models import ChildSignIn, ConsentInvitation
from tests.concurrency import count_rows, parallel, signed_in_clients


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', page).group(1)


def _young_child(school):
    child = school.imported()[0]  # 王小明, 8: under 14, no consent yet
    assert operations.needs_consent(child)
    return child


def test_eight_parallel_taps_record_a_guardians_no_once(app, school):
    """A refusal switches the account off and opens a deletion: each once, however many taps arrive."""
    child = _young_child(school)
    taps = signed_in_clients(app, "teacher1", 8)
    page = taps[0].get(f"/children/{child.id}/consent").get_data(as_text=True)
    form = {"guardian_name": "王爸爸", "relation": "父亲", "method": "paper", "decision": "refused",
            "replaces": _hidden(page, "replaces")}
    statuses = parallel([lambda c=c: c.post(f"/children/{child.id}/consent", data=form).status_code for c in taps])
    assert sorted(statuses) == [302] + [400] * 7, statuses  # the others see the page again, with the reason
    db.session.expire_all()
    assert count_rows(GuardianConsent, GuardianConsent.child_id == child.id) == 1
    assert count_rows(Event, Event.action == "consent_recorded", Event.subject_id == child.id) == 1
    assert count_rows(DataRequest, DataRequest.child_id == child.id) == 1
    assert count_rows(Event, Event.action == "data_request_received") == 1


def test_the_second_tap_is_told_and_can_record_again_from_the_page_it_gets(app, school):
    child = _young_child(school)
    [first, second] = signed_in_clients(app, "teacher1", 2)
    form = {"guardian_name": "王爸爸", "relation": "父亲", "method": "paper", "decision": "granted", "replaces": "0"}
    assert first.post(f"/children/{child.id}/consent", data=form).status_code == 302
    refused = second.post(f"/children/{child.id}/consent", data=form)
    assert refused.status_code == 400 and "changed a moment ago" in refused.get_data(as_text=True)
    again = form | {"decision": "withdrawn", "replaces": _hidden(refused.get_data(as_text=True), "replaces")}
    assert second.post(f"/children/{child.id}/consent", data=again).status_code == 302
    assert count_rows(GuardianConsent, GuardianConsent.child_id == child.id) == 2


def test_eight_parallel_online_answers_record_once(app, school):
    child = _young_child(school)
    code = operations.slip_code(child, school.teacher)
    db.session.commit()
    guardians = [app.test_client() for _i in range(8)]
    url = f"/guardian/consent/{code}"
    form = {"guardian_name": "王建国", "relation": "父亲", "decision": "granted"}
    statuses = parallel([lambda c=c: c.post(url, data=form).status_code for c in guardians])
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert count_rows(GuardianConsent, GuardianConsent.child_id == child.id) == 1
    assert count_rows(Event, Event.action == "consent_recorded", Event.subject_id == child.id) == 1


def test_eight_parallel_taps_on_new_slip_make_one_slip(app, school):
    child = _young_child(school)
    first_code = operations.slip_code(child, school.teacher)
    db.session.commit()
    sign_in = db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == child.id))
    taps = signed_in_clients(app, "teacher1", 8)
    page = taps[0].get(f"/classes/{school.group.id}").get_data(as_text=True)
    url = f"/classes/{school.group.id}/children/{sign_in.id}/consent-link"
    statuses = parallel([lambda c=c: c.post(url, data={"shown": _hidden(page, "shown")}).status_code
                         for c in taps])
    assert statuses == [302] * 8, statuses
    db.session.expire_all()
    assert count_rows(Event, Event.action == "consent_invitation_issued", Event.subject_id == child.id) == 2  # 1 + 1
    open_now = operations.open_invitations(child)
    assert len(open_now) == 1 and operations.invitation_code(open_now[0]) != first_code


def test_cards_printed_at_the_same_moment_make_one_slip_per_child(app, school):
    children = [c for c in school.imported() if operations.needs_consent(c)]
    url = f"/classes/{school.group.id}/cards"
    statuses = parallel([lambda c=c: c.get(url).status_code for c in signed_in_clients(app, "teacher1", 8)])
    assert statuses == [200] * 8, statuses
    db.session.expire_all()
    for child in children:
        assert count_rows(ConsentInvitation, ConsentInvitation.child_id == child.id) == 1
