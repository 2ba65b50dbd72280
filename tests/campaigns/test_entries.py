"""Entries: who may send them, limits, age groups, editing until entries close, review and guardian consent."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from council.campaigns import operations
from council.campaigns.models import CampaignKind, EntryState, Phase
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from tests.campaigns.conftest import TODAY, fetch, png
from tests.conftest import PASSWORD
from tests.uploads.test_images import GPS_IFD, encode, gps_exif, two_halves


def login(client, account):
    client.post("/login", data={"username": account.username, "password": PASSWORD})


def test_child_sends_a_drawing_and_it_is_placed_in_their_age_group(world):
    campaign = world.campaign()
    entry = world.entry(campaign, world.kids[0], approve=False, consent=False)
    assert (entry.state, entry.age_group, entry.code) == (EntryState.pending, "9–11", "B-01")
    teen = world.entry(campaign, world.teen, approve=False, consent=False)
    assert (teen.age_group, teen.code) == ("12–14", "C-02")


def test_children_outside_the_age_groups_or_the_area_cannot_enter(world):
    campaign = world.campaign(world.community_a, age_groups=[[12, 14]])
    with pytest.raises(DomainError) as refused:
        world.entry(campaign, world.kids[0])
    assert "aged 12–14" in refused.value.message
    with pytest.raises(PermissionDenied):
        world.entry(campaign, world.far_kid)  # another street's community


def test_a_child_without_guardian_consent_cannot_enter(world):
    campaign = world.campaign()
    with pytest.raises(DomainError) as refused:
        world.entry(campaign, world.waiting)
    assert "guardian has not said yes" in refused.value.message


def test_entries_per_child_and_double_submits(world):
    campaign = world.campaign(entries_per_child=2)
    world.entry(campaign, world.kids[0], title="One", approve=False)
    with pytest.raises(DomainError) as refused:
        world.entry(campaign, world.kids[0], title="One", approve=False)
    assert "already been sent" in refused.value.message
    world.entry(campaign, world.kids[0], title="Two", approve=False)
    with pytest.raises(DomainError) as refused:
        world.entry(campaign, world.kids[0], title="Three", approve=False)
    assert "2 entries" in refused.value.message


def test_a_drawing_needs_a_picture_and_lyrics_need_words(world):
    drawing = world.campaign()
    with pytest.raises(DomainError):
        operations.submit_entry(drawing, world.kids[0], world.kids[0], title="T", description="D")
    lyrics = world.campaign(title="Our song", kind=CampaignKind.lyrics)
    entry = operations.submit_entry(lyrics, world.kids[0], world.kids[0], title="Song", description="A song",
                                    text="La la la\nWe love Zhoucun")
    assert entry.file is None and "We love Zhoucun" in entry.text


def test_teacher_sends_for_a_child_of_their_class_with_the_consent_slip(world):
    campaign = world.campaign()
    entry = operations.submit_entry(campaign, world.teacher, world.kids[1], title="For Kid", description="A tree",
                                    file=world.picture(world.teacher),
                                    consent_method=operations.ConsentMethod.paper)
    assert entry.author_id == world.kids[1].id and entry.submitted_by_id == world.teacher.id
    assert entry.has_consent and entry.consent_by_id == world.teacher.id
    with pytest.raises(PermissionDenied):
        operations.submit_entry(campaign, world.teacher, world.far_kid, title="X", description="Y",
                                file=world.picture(world.teacher))
    with pytest.raises(PermissionDenied):
        operations.submit_entry(campaign, world.kids[0], world.kids[2], title="X", description="Y",
                                file=world.picture(world.kids[0]))


def test_author_edits_until_entries_close_and_a_checked_entry_is_checked_again(world):
    campaign = world.campaign()
    entry = world.entry(campaign, world.kids[0])
    assert entry.state is EntryState.approved
    operations.edit_entry(entry, world.kids[0], title="Better", description="Now with a sun")
    assert (entry.title, entry.state) == ("Better", EntryState.pending)
    with pytest.raises(PermissionDenied):
        operations.edit_entry(entry, world.kids[1], title="Mine now", description="No")
    with pytest.raises(DomainError):
        operations.edit_entry(entry, world.kids[0], title="Late", description="Too late",
                              today=campaign.reviewing_from)


def test_review_approves_or_declines_with_a_reason_the_child_reads(world, client):
    campaign = world.campaign()
    good = world.entry(campaign, world.kids[0], approve=False)
    bad = world.entry(campaign, world.kids[1], approve=False)
    with pytest.raises(PermissionDenied):
        operations.approve(good, world.facilitator)  # a district campaign is checked by the office
    operations.approve(good, world.coordinator)
    with pytest.raises(DomainError):
        operations.reject(bad, world.coordinator, "  ")
    operations.reject(bad, world.coordinator, "Your picture shows your school's name. Please draw it again.")
    with pytest.raises(DomainError):
        operations.approve(bad, world.coordinator)  # already checked
    db.session.commit()
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.account_id == world.kids[1].id)))
    assert "entry_rejected" in kinds
    login(client, world.kids[1])
    page = client.get("/my/entries").get_data(as_text=True)
    assert "Please draw it again." in page
    assert "Please draw it again." in client.get("/notifications").get_data(as_text=True)


def test_an_approved_entry_without_consent_stays_out_of_public_view(world, client):
    campaign = world.campaign()
    hidden = world.entry(campaign, world.kids[0], title="Hidden work", consent=False)
    shown = world.entry(campaign, world.kids[1], title="Shown work")
    db.session.commit()
    assert hidden.state is EntryState.approved and not hidden.is_public and shown.is_public
    gallery = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Shown work" in gallery and "Hidden work" not in gallery
    assert client.get(f"/campaigns/entries/{hidden.id}").status_code == 404
    assert fetch(client, f"/files/{hidden.file.key}")[0] == 404
    assert fetch(client, f"/files/{shown.file.key}/thumb")[0] == 200
    api = client.get(f"/api/v1/campaigns/{campaign.id}").get_json()
    assert [e["title"] for e in api["entries"]] == ["Shown work"]
    login(client, world.coordinator)
    review = client.get(f"/campaigns/{campaign.id}/review").get_data(as_text=True)
    assert "No guardian consent yet: this entry can be approved but is not shown publicly." in review
    response = client.post(f"/campaigns/entries/{hidden.id}/consent",
                           data={"display": "1", "use": "1", "method": "paper", "back": "review"})
    assert response.status_code == 302
    db.session.expire_all()
    assert hidden.is_public
    assert "Hidden work" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)


def test_consent_to_display_alone_is_not_enough(world):
    campaign = world.campaign()
    entry = world.entry(campaign, world.kids[0], consent=False)
    operations.record_consent(entry, world.teacher, display=True, use=False, method=operations.ConsentMethod.paper)
    assert not entry.is_public
    with pytest.raises(PermissionDenied):
        operations.record_consent(entry, world.facilitator_b, display=True, use=True,
                                  method=operations.ConsentMethod.paper)


def test_the_upload_form_strips_gps_and_keeps_words_when_a_file_is_refused(world, client):
    campaign = world.campaign()
    db.session.commit()
    login(client, world.kids[0])
    refused = client.post(f"/campaigns/{campaign.id}/enter", data={
        "title": "My rainbow school", "description": "A school under a rainbow",
        "picture": (io.BytesIO(b"not a picture at all"), "drawing.jpg")}, content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "We can only use photos and drawings saved as JPG, PNG or WebP." in page
    assert 'value="My rainbow school"' in page and 'value="A school under a rainbow"' in page

    source = encode(two_halves(), "JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the test is real
    sent = client.post(f"/campaigns/{campaign.id}/enter", data={
        "title": "My rainbow school", "description": "A school under a rainbow",
        "picture": (io.BytesIO(source), "drawing.jpg")}, content_type="multipart/form-data")
    assert sent.status_code == 302
    entry = campaign.entries[0]
    status, data = fetch(client, f"/files/{entry.file.key}")  # the author sees it before it is public
    assert status == 200
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD) and b"Secret Model X" not in data


def test_the_entry_form_is_for_children_and_their_teachers(world, client):
    campaign = world.campaign(world.community_a)
    db.session.commit()
    login(client, world.facilitator_b)
    assert client.get(f"/campaigns/{campaign.id}/enter").status_code == 403
    client.post("/logout")
    login(client, world.teacher)
    page = client.get(f"/campaigns/{campaign.id}/enter").get_data(as_text=True)
    assert world.kids[0].display_name in page and world.far_kid.display_name not in page
    response = client.post(f"/campaigns/{campaign.id}/enter", data={
        "child": str(world.kids[2].id), "title": "Teacher sent", "description": "Flowers", "consent": "in_person",
        "picture": (io.BytesIO(png()), "flowers.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    entry = campaign.entries[0]
    assert entry.author_id == world.kids[2].id and entry.has_consent


def test_phase_closes_the_form(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[1])
    world.to_phase(campaign, Phase.reviewing)
    db.session.commit()
    login(client, world.kids[0])
    response = client.post(f"/campaigns/{campaign.id}/enter", data={
        "title": "Late", "description": "Late", "picture": (io.BytesIO(png()), "a.png")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "not taking entries now" in response.get_data(as_text=True)
    assert len(campaign.entries) == 1
    assert TODAY + timedelta(days=7) == campaign.reviewing_from


def test_personal_details_in_the_words_are_flagged_to_the_organiser_and_the_child(world, client):
    campaign = world.campaign()
    entry = world.entry(campaign, world.kids[0], title="Call me 13912345678", approve=False)
    db.session.commit()
    assert {f.match for f in operations.flags(entry)} == {"13912345678"}  # in the title and the description
    login(client, world.coordinator)
    page = client.get(f"/campaigns/{campaign.id}/review").get_data(as_text=True)
    assert "“13912345678”" in page
    client.post("/logout")
    login(client, world.kids[0])
    page = client.get(f"/campaigns/entries/{entry.id}").get_data(as_text=True)
    assert operations.flags(entry)[0].child_reason in page
