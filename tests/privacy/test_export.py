"""A copy of one child's data: a zip with data.json and the child's files."""

import io
import json
import zipfile

from sqlalchemy import select

from council.audit.models import Event
from council.extensions import db
from council.privacy import export, operations
from council.privacy.models import RequestChannel, RequestKind, RequestStatus
from tests.privacy.conftest import sign_in


def _export_request(world):
    request = operations.record_request(world.author, world.teacher, kind=RequestKind.export,
                                        requester_name="王建国", relation="父亲", channel=RequestChannel.in_person)
    db.session.commit()
    return request


def test_teacher_downloads_everything_the_platform_keeps_about_the_child(client, world):
    request = _export_request(world)
    sign_in(client, "teacher_a")
    response = client.get(f"/privacy/requests/{request.id}/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))

    assert data["account"]["username"] == "author" and data["account"]["nickname"] == "小作者"
    assert data["private_profile"]["real_name"] == "王小明"
    assert [c["decision"] for c in data["consents"]] == ["granted"]
    titles = {idea["title"]: idea for idea in data["ideas"]}
    assert titles["图书馆周末开门"]["state"] == "draft"  # drafts too
    assert titles["公园秋千坏了"]["state"] == "published"
    attachment = titles["公园秋千坏了"]["attachments"][0]
    assert attachment["description"] == "我画的秋千"
    assert [s["title"] for s in data["supports"]] == ["操场要有树荫"]
    assert {"proposal_started", "proposal_submitted", "attachment_added"} <= {e["action"] for e in data["events"]}
    assert any(n["kind"] == "proposal_published" for n in data["notifications"])

    # the real picture is in the zip, byte for byte what the platform stored
    stored = world.public_picture
    assert attachment["file"] == f"files/{stored.key}.{stored.extension}"
    with open(operations.storage.path_of(stored), "rb") as on_disk:
        assert archive.read(attachment["file"]) == on_disk.read()
    assert archive.read(f"files/{world.draft_picture.filename}")[:2] == b"\xff\xd8"


def test_downloading_is_a_recorded_view_of_private_data(client, world):
    request = _export_request(world)
    sign_in(client, "teacher_a")
    client.get(f"/privacy/requests/{request.id}/export.zip")
    actions = db.session.scalars(select(Event.action).where(Event.actor_id == world.teacher.id)).all()
    assert "child_data_exported" in actions
    viewed = db.session.scalars(select(Event).where(Event.action == "child_data_viewed",
                                                    Event.subject_id == world.author.id)).all()
    assert any(e.data.get("view") == "export" for e in viewed)


def test_the_copy_handed_over_closes_the_request(client, world):
    request = _export_request(world)
    sign_in(client, "teacher_a")
    response = client.post(f"/privacy/requests/{request.id}/carry-out", data={"checked": "y"})
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status is RequestStatus.done and request.handled_by_id == world.teacher.id
    again = client.post(f"/privacy/requests/{request.id}/carry-out", data={"checked": "y"})
    assert again.status_code == 409 and "already handled" in again.get_data(as_text=True)


def test_a_sibling_facilitator_cannot_download(client, world):
    request = _export_request(world)
    sign_in(client, "fac_b")
    assert client.get(f"/privacy/requests/{request.id}/export.zip").status_code == 404  # as if missing
    assert client.get(f"/privacy/requests/{request.id}").status_code == 404


def test_a_later_feature_adds_its_part_with_one_function(world, monkeypatch):
    monkeypatch.setitem(export.CONTRIBUTORS, "campaign_entries", lambda child: [{"title": "我的画", "by": child.id}])
    archive = zipfile.ZipFile(io.BytesIO(export.build_zip(world.author)))
    assert json.loads(archive.read("data.json"))["campaign_entries"] == [{"title": "我的画", "by": world.author.id}]
