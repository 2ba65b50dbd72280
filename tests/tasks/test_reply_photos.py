"""A unit's reply photo is part of the answer the children read: whoever may see the idea may see it."""

from __future__ import annotations

import io
import re

from PIL import Image

from council.extensions import db
from council.tasks import operations
from council.tasks.models import TaskPhoto
from tests.conftest import PASSWORD

SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (42, 157, 143)).save(buffer, "PNG")
    return buffer.getvalue()


def _as(app, username: str | None):
    client = app.test_client()
    if username:
        assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def _status(client, path: str) -> int:
    response = client.get(path)
    response.close()  # a file sent is open until its answer is closed
    return response.status_code


def test_the_reply_photo_is_seen_wherever_the_idea_is(app, office):
    proposal = office.routed(lead=0)
    (task,) = operations.tasks_of(proposal)
    operations.acknowledge(task, office.staff[0])
    db.session.commit()
    staff = _as(app, "staff0")
    answered = staff.post(f"/tasks/{task.id}/reply", data={
        "grade": "A", "summary": SUMMARY, "photo": (io.BytesIO(_png()), "lamp.png"),
        "photo_description": "修好的路灯"}, content_type="multipart/form-data")
    assert answered.status_code == 302, answered.get_data(as_text=True)[:500]
    photo = db.session.query(TaskPhoto).one()
    # The idea's page shows it to a visitor, and the picture opens for everyone who may see the idea.
    page = _as(app, None).get(f"/ideas/{proposal.id}").get_data(as_text=True)
    key = photo.file.key
    assert re.search(rf'src="/files/{key}/thumb"', page)
    for who in (None, "author", "staff1", "staff0", "coord"):
        for path in (f"/files/{key}", f"/files/{key}/thumb"):
            assert _status(_as(app, who), path) == 200, (who, path)
    # Hidden by the children's reports: the idea and its photo are gone for the public, still there for the unit.
    proposal.hidden_at = proposal.updated_at
    db.session.commit()
    assert _status(_as(app, None), f"/files/{key}") == 404
    assert _status(_as(app, "staff1"), f"/files/{key}") == 404
    assert _status(_as(app, "staff0"), f"/files/{key}") == 200
