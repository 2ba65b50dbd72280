"""Deleting a child's data on a guardian's request: published ideas stay, anonymised; the rest goes."""

import pytest
from sqlalchemy import select

from council.accounts.models import Account, ChildProfile, GuardianConsent, Membership, MembershipRole
from council.accounts.operations import add_membership
from council.audit.models import Event
from council.errors import DomainError
from council.extensions import db
from council.privacy import operations
from council.privacy.models import DataRequest, RequestChannel, RequestKind, RequestStatus
from council.proposals.models import Proposal, Support
from council.uploads import storage
from council.uploads.models import StoredFile
from tests.privacy.conftest import sign_in


def _deletion(world, actor=None):
    request = operations.record_request(world.author, actor or world.teacher, kind=RequestKind.deletion,
                                        requester_name="王建国", relation="父亲", channel=RequestChannel.paper)
    db.session.commit()
    return request


def test_teacher_records_and_carries_out_a_deletion(client, world, app):
    sign_in(client, "teacher_a")
    form = client.get(f"/children/{world.author.id}/data-requests/new")
    assert form.status_code == 200 and "王小明" in form.get_data(as_text=True)
    response = client.post(f"/children/{world.author.id}/data-requests/new", data={
        "kind": "deletion", "requester_name": "王建国", "relation": "父亲", "channel": "phone", "note": ""})
    assert response.status_code == 302
    request = db.session.scalars(select(DataRequest)).one()
    assert (request.kind, request.status, request.channel) == (RequestKind.deletion, RequestStatus.received,
                                                               RequestChannel.phone)
    unchecked = client.post(f"/privacy/requests/{request.id}/carry-out", data={})
    assert unchecked.status_code == 400 and "Check who is asking first." in unchecked.get_data(as_text=True)
    done = client.post(f"/privacy/requests/{request.id}/carry-out", data={"checked": "y"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "has been deleted" in page and "王小明" not in page
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).status is RequestStatus.done


def test_the_public_idea_page_and_the_api_say_a_child_of_the_council(app, world):
    idea_id = world.public_idea.id
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    assert "小作者" in visitor.get("/ideas/").get_data(as_text=True)  # the card is rendered, and kept
    operations.carry_out(_deletion(world), world.teacher)
    db.session.commit()
    listed = visitor.get("/ideas/").get_data(as_text=True)
    assert "小作者" not in listed and "a child of 甲社区儿童议事会" in listed
    page = visitor.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "小作者" not in page and "王小明" not in page
    assert "a child of 甲社区儿童议事会" in page
    assert "A child of 甲社区儿童议事会 sent it to" in page  # the timeline too
    api = visitor.get(f"/api/v1/proposals/{idea_id}").get_json()
    assert api["authors"] == ["a child of 甲社区儿童议事会"]
    assert "小作者" not in str(api)
    listing = visitor.get("/api/v1/proposals").get_json()
    assert "小作者" not in str(listing)


def test_drafts_and_their_files_go_published_ones_stay(world):
    draft_id, public_id = world.draft_idea.id, world.public_idea.id
    draft_file = storage.path_of(world.draft_picture)
    public_file = storage.path_of(world.public_picture)
    assert draft_file.exists()
    counts = operations.erase(world.author, world.teacher, _deletion(world))
    db.session.commit()
    assert counts == {"ideas_kept": 1, "ideas_deleted": 1, "files_deleted": 1}
    assert db.session.get(Proposal, draft_id) is None
    assert not draft_file.exists() and not draft_file.with_suffix(".thumb.jpg").exists()
    public = db.session.get(Proposal, public_id)
    assert public.authors == [] and public_file.exists()
    assert db.session.get(StoredFile, world.public_picture.id).uploaded_by_id is None


def test_the_account_profile_supports_and_consents_are_erased(world):
    child_id = world.author.id
    add_membership(world.author, world.community_a, MembershipRole.member,
                   starts_on=world.public_idea.created_at.date())
    db.session.commit()
    operations.carry_out(_deletion(world), world.teacher)
    db.session.commit()
    db.session.expire_all()
    child = db.session.get(Account, child_id)
    assert (child.username, child.display_name, child.active) == (f"deleted-{child_id}", "已注销", False)
    assert db.session.get(ChildProfile, child_id) is None
    assert db.session.scalars(select(Support).where(Support.account_id == child_id)).all() == []
    assert world.supported_idea.support_count == 1  # the count stays
    consent = db.session.scalars(select(GuardianConsent).where(GuardianConsent.child_id == child_id)).one()
    assert consent.guardian_name == "" and consent.decision.value == "granted"  # the legal record stays
    membership = db.session.scalars(select(Membership).where(Membership.account_id == child_id)).one()
    assert membership.ends_on is not None
    assert db.session.scalars(select(DataRequest.requester_name).where(DataRequest.child_id == child_id)).all() == [""]


def test_the_event_log_stays_and_names_nobody(world):
    before = db.session.scalars(select(Event.id)).all()
    operations.carry_out(_deletion(world), world.teacher)
    db.session.commit()
    events = db.session.scalars(select(Event)).all()
    assert set(before) <= {e.id for e in events}
    erased = [e for e in events if e.action == "child_data_erased"]
    assert len(erased) == 1 and erased[0].data["ideas_kept"] == 1
    for event in events:
        text = f"{event.data} {event.reason or ''}"
        assert "王小明" not in text and "小作者" not in text and "author" not in str(event.data.values())


def test_deleting_twice_is_a_clear_refusal(client, world, english):
    request = _deletion(world)
    operations.carry_out(request, world.teacher)
    db.session.commit()
    with english(), pytest.raises(DomainError, match="already handled"):
        operations.carry_out(request, world.teacher)
    with english(), pytest.raises(DomainError, match="already been deleted"):
        operations.erase(world.author, world.teacher, request)
    client.get("/lang/en")
    sign_in(client, "teacher_a")
    response = client.post(f"/privacy/requests/{request.id}/carry-out", data={"checked": "y"})
    assert response.status_code == 409 and "already handled" in response.get_data(as_text=True)
    assert client.get(f"/children/{world.author.id}/data-requests/new").status_code == 404


def test_a_second_open_request_of_the_same_kind_is_refused(world, english):
    _deletion(world)
    with english(), pytest.raises(DomainError, match="already an open request"):
        _deletion(world)


def test_a_request_refused_with_a_reason(client, world):
    request = _deletion(world)
    client.get("/lang/en")
    sign_in(client, "teacher_a")
    empty = client.post(f"/privacy/requests/{request.id}/refuse", data={"reason": ""})
    assert empty.status_code == 400 and "Write why the request is refused" in empty.get_data(as_text=True)
    response = client.post(f"/privacy/requests/{request.id}/refuse", data={"reason": "打电话的人不是监护人。"})
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(DataRequest, request.id)
    assert request.status is RequestStatus.refused and request.reason == "打电话的人不是监护人。"
    assert db.session.get(Account, world.author.id).active


def test_only_adults_reaching_the_child_record_requests(client, world):
    sign_in(client, "fac_b")  # a sibling community's facilitator
    assert client.get(f"/children/{world.author.id}/data-requests/new").status_code == 404  # as if missing
    with pytest.raises(DomainError):
        operations.record_request(world.author, world.sibling_facilitator, kind=RequestKind.export,
                                  requester_name="x", relation="父亲", channel=RequestChannel.paper)


def test_the_open_requests_page_lists_what_waits(client, world):
    _deletion(world)
    sign_in(client, "coord")
    page = client.get("/privacy/requests").get_data(as_text=True)
    assert "Deleting the child&#39;s data · 小作者" in page
    client.post("/logout")
    sign_in(client, "author")
    assert client.get("/privacy/requests").status_code == 403
