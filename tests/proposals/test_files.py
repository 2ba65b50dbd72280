"""Pictures and voice notes on an idea, through the real upload pipeline and the file route."""

import io
import math
from array import array

import av
from PIL import Image
from sqlalchemy import select

from council.extensions import db
from council.uploads.models import StoredFile
from tests.conftest import PASSWORD
from tests.uploads.test_images import GPS_IFD, encode, gps_exif, two_halves


def gps_jpeg() -> bytes:
    return encode(two_halves((400, 300)), "JPEG", exif=gps_exif())


def voice_webm(seconds=2.0) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        samples = int(48000 * seconds)
        tone = array("h", (int(8000 * math.sin(2 * math.pi * 440 * i / 48000)) for i in range(samples)))
        frame = av.AudioFrame(format="s16", layout="mono", samples=samples)
        frame.planes[0].update(bytes(tone))
        frame.sample_rate = 48000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def fetch(client, url):
    """GET a file and close the response (a served file holds an open handle until closed)."""
    response = client.get(url)
    response.get_data()  # read it all into memory, then let the file go
    response.close()
    return response


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.set_cookie("lang", "en")


def test_photo_loses_its_gps_and_is_served_only_when_public(app, client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = client.post(f"/ideas/{proposal.id}/attachments", data={
        "picture": (io.BytesIO(gps_jpeg()), "holiday.jpg"), "description": "我画的秋千"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    stored = db.session.scalars(select(StoredFile)).one()
    assert stored.content_type == "image/jpeg" and stored.key not in "holiday.jpg"
    served = fetch(client, f"/files/{stored.key}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert GPS_IFD not in image.getexif() and b"Secret Model X" not in served.data
    assert fetch(client, f"/files/{stored.key}/thumb").status_code == 200

    visitor = app.test_client()
    assert fetch(visitor, f"/files/{stored.key}").status_code == 404  # a draft's picture is private
    from council.proposals import operations

    operations.submit(proposal, world.author)
    operations.publish(proposal, world.facilitator)
    db.session.commit()
    assert fetch(visitor, f"/files/{stored.key}").status_code == 200
    page = visitor.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert 'alt="我画的秋千"' in page


def test_a_file_that_is_not_a_picture_is_refused_kindly(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = client.post(f"/ideas/{proposal.id}/attachments", data={
        "picture": (io.BytesIO(b"<svg onload=alert(1)></svg>"), "cat.jpg")}, content_type="multipart/form-data",
        follow_redirects=True)
    assert response.status_code == 400  # the pictures step again, the reason beside the picture field
    assert db.session.scalar(select(StoredFile.id)) is None
    assert "picture" in response.get_data(as_text=True).lower()


def test_voice_note_is_heard_only_by_authors_and_facilitators(app, client, world):
    proposal = world.draft(problem="", idea="")
    sign_in(client, "author")
    response = client.post(f"/ideas/{proposal.id}/attachments", data={
        "voice": (io.BytesIO(voice_webm()), "voice.webm")}, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = db.session.scalars(select(StoredFile)).one()
    assert stored.content_type == "audio/ogg" and 1.5 < stored.duration < 2.5
    from council.proposals import operations

    operations.submit(proposal, world.author)  # a voice note stands in for the written problem and idea
    operations.publish(proposal, world.facilitator)
    db.session.commit()
    assert fetch(client, f"/files/{stored.key}").status_code == 200
    visitor = app.test_client()
    assert fetch(visitor, f"/files/{stored.key}").status_code == 404
    facilitator = app.test_client()
    facilitator.post("/login", data={"username": "fac_a", "password": PASSWORD})
    assert fetch(facilitator, f"/files/{stored.key}").status_code == 200
    attachment = proposal.attachments[0]
    facilitator.post(f"/ideas/{proposal.id}/attachments/{attachment.id}/transcription",
                     data={"transcription": "我想要更多的秋千"})
    page = visitor.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert "我想要更多的秋千" in page and "<audio" not in page


def test_at_most_four_attachments(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    for _ in range(5):
        client.post(f"/ideas/{proposal.id}/attachments", data={
            "picture": (io.BytesIO(gps_jpeg()), "p.jpg")}, content_type="multipart/form-data")
    db.session.refresh(proposal)
    assert len(proposal.attachments) == 4


def test_the_idea_page_reads_changed_words_and_pictures_only_for_an_idea_that_has_them(app, client, world):
    """The idea page learns with the idea itself whether it has changed words or pictures, and reads those lists
    only then: a plain idea costs two statements less, and an idea that has them still shows them."""
    from council.proposals import operations
    from tests.scale.test_query_counts import counting

    plain = world.published(title="普通的想法")
    changed = world.submitted(problem="电话 13812345678 找我")
    operations.publish(changed, world.facilitator, edits={"problem": "电话（已删除）找我"})
    pictured = world.draft(title="有画的想法")
    sign_in(client, "author")
    assert client.post(f"/ideas/{pictured.id}/attachments", data={
        "picture": (io.BytesIO(gps_jpeg()), "swing.jpg"), "description": "我画的秋千"},
        content_type="multipart/form-data").status_code == 302
    operations.submit(pictured, world.author)
    operations.publish(pictured, world.facilitator)
    db.session.commit()
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")

    def read(proposal) -> tuple[str, list[str]]:
        with counting() as statements:
            page = visitor.get(f"/ideas/{proposal.id}").get_data(as_text=True)
        return page, [s for s in statements if s.startswith(("SELECT proposal_edits.", "SELECT attachments."))]

    page, lists = read(plain)
    assert "普通的想法" in page and lists == []
    page, lists = read(changed)
    assert "A facilitator changed some words" in page and len(lists) == 1
    page, lists = read(pictured)
    assert 'alt="我画的秋千"' in page and len(lists) == 1
    assert client.get(f"/ideas/{changed.id}").status_code == 200  # its author sees the changes themselves
    sign_in(client, "fac_a")
    assert "电话（已删除）找我" in client.get(f"/ideas/{changed.id}").get_data(as_text=True)
