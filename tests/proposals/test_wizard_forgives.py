"""The idea wizard forgives: a picture chosen but not added goes along with Back and Next, and a part changed from
the check page leads straight back to it (issue 19 item 4). Without JavaScript: plain forms and redirects."""

import io
import re

from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Attachment
from council.uploads.models import StoredFile
from tests.proposals.test_files import gps_jpeg, sign_in


def upload(client, proposal, query="", **data):
    return client.post(f"/ideas/{proposal.id}/attachments{query}", data=data, content_type="multipart/form-data")


def attachments(proposal) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.proposal_id == proposal.id)))


def test_next_takes_a_chosen_picture_along_instead_of_dropping_it(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, picture=(io.BytesIO(gps_jpeg()), "swing.jpg"),
                      description="我画的秋千", go="next")
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{proposal.id}/step/6"
    [attached] = attachments(proposal)
    assert attached.description == "我画的秋千"
    assert "Added to your idea." in client.get(response.headers["Location"]).get_data(as_text=True)
    check = client.get(f"/ideas/{proposal.id}/step/7").get_data(as_text=True)
    assert "1 added" in check


def test_back_takes_it_along_too(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, picture=(io.BytesIO(gps_jpeg()), "swing.jpg"), go="back")
    assert response.headers["Location"] == f"/ideas/{proposal.id}/step/4"
    assert len(attachments(proposal)) == 1


def test_next_with_nothing_chosen_just_moves_on(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, description="", go="next")
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{proposal.id}/step/6"
    assert attachments(proposal) == [] and db.session.scalar(select(StoredFile.id)) is None


def test_the_add_button_with_nothing_chosen_still_asks_for_a_picture(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, description="")
    assert response.status_code == 400
    assert "Choose a picture or record a voice note first." in response.get_data(as_text=True)


def test_a_picture_that_cannot_be_added_keeps_the_child_on_the_step_with_the_reason(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, picture=(io.BytesIO(b"not a picture at all"), "cat.jpg"), go="next")
    page = response.get_data(as_text=True)
    assert response.status_code == 400  # not on to step 6 as if nothing had been chosen
    assert 'class="field-error" id="picture-error"' in page
    assert f'action="/ideas/{proposal.id}/attachments"' in page
    assert attachments(proposal) == []


def test_the_pictures_step_sends_back_and_next_with_the_form(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    page = client.get(f"/ideas/{proposal.id}/step/5").get_data(as_text=True)
    form = page[page.index(f'action="/ideas/{proposal.id}/attachments"'):]
    form = form[:form.index("</form>")]
    assert re.search(r'<button type="submit" name="go" value="next"[^>]*>.*Next', form)
    assert re.search(r'<button type="submit" name="go" value="back"[^>]*>.*Back', form)
    assert f'class="button" href="/ideas/{proposal.id}/step/6"' not in page  # no Next link leaving it behind


def test_edit_on_the_check_page_opens_the_step_marked_to_come_back(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    page = client.get(f"/ideas/{proposal.id}/step/7").get_data(as_text=True)
    edits = re.findall(rf'<a href="/ideas/{proposal.id}/step/(\d)\?then=check">Edit</a>', page)
    assert sorted(set(edits)) == ["1", "2", "3", "4", "5", "6"]

    step = client.get(f"/ideas/{proposal.id}/step/3?then=check").get_data(as_text=True)
    assert "Save and go back to check" in step and 'name="back"' not in step


def test_saving_a_step_opened_from_the_check_page_goes_straight_back_to_it(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = client.post(f"/ideas/{proposal.id}/step/3?then=check", data={"idea": "换一个新秋千。"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{proposal.id}/step/7"
    db.session.refresh(proposal)
    assert proposal.idea == "换一个新秋千。"
    assert "换一个新秋千。" in client.get(f"/ideas/{proposal.id}/step/7").get_data(as_text=True)

    # without coming from the check page, the wizard goes on step by step; an unknown "then" changes nothing
    assert client.post(f"/ideas/{proposal.id}/step/3", data={"idea": "再换。"}).headers["Location"] == \
        f"/ideas/{proposal.id}/step/4"
    assert client.post(f"/ideas/{proposal.id}/step/3?then=https://example.org", data={"idea": "再换。"}
                       ).headers["Location"] == f"/ideas/{proposal.id}/step/4"


def test_a_step_refused_after_edit_keeps_the_way_back_to_the_check_page(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    refused = client.post(f"/ideas/{proposal.id}/step/1?then=check", data={"title": "", "problem": "链子断了。"})
    assert refused.status_code == 400
    assert "Save and go back to check" in refused.get_data(as_text=True)  # the form posts to the same address
    fixed = client.post(f"/ideas/{proposal.id}/step/1?then=check",
                        data={"title": "秋千又坏了", "problem": "链子断了。"})
    assert fixed.headers["Location"] == f"/ideas/{proposal.id}/step/7"
    db.session.refresh(proposal)
    assert proposal.title == "秋千又坏了"


def test_pictures_changed_from_the_check_page_come_back_to_it(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    page = client.get(f"/ideas/{proposal.id}/step/5?then=check").get_data(as_text=True)
    assert f'action="/ideas/{proposal.id}/attachments?then=check"' in page
    assert "Save and go back to check" in page and 'value="back"' not in page

    added = upload(client, proposal, "?then=check", picture=(io.BytesIO(gps_jpeg()), "a.jpg"))
    assert added.headers["Location"] == f"/ideas/{proposal.id}/step/5?then=check"  # "Add": stays, still marked
    [attached] = attachments(proposal)
    removed = client.post(f"/ideas/{proposal.id}/attachments/{attached.id}/delete?then=check")
    assert removed.headers["Location"] == f"/ideas/{proposal.id}/step/5?then=check"
    done = upload(client, proposal, "?then=check", picture=(io.BytesIO(gps_jpeg()), "b.jpg"), go="next")
    assert done.headers["Location"] == f"/ideas/{proposal.id}/step/7"
    assert len(attachments(proposal)) == 1


def test_a_step_number_takes_a_chosen_picture_along(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = upload(client, proposal, picture=(io.BytesIO(gps_jpeg()), "swing.jpg"), go="2")
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{proposal.id}/step/2"
    assert len(attachments(proposal)) == 1
    moved = upload(client, proposal, go="3")  # nothing chosen: it just moves
    assert moved.headers["Location"] == f"/ideas/{proposal.id}/step/3" and len(attachments(proposal)) == 1


def test_a_step_number_saves_the_words_and_leaves_without_the_steps_checks(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    response = client.post(f"/ideas/{proposal.id}/step/3", data={"idea": "", "go": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{proposal.id}/step/1"
    response = client.post(f"/ideas/{proposal.id}/step/2", data={"place": "小区北门", "go": "6"})
    assert response.headers["Location"] == f"/ideas/{proposal.id}/step/6"
    db.session.refresh(proposal)
    assert proposal.place == "小区北门"


def test_a_step_number_beyond_reach_or_not_a_number_is_an_ordinary_next(client, world):
    from council.proposals import operations

    proposal = operations.start_draft(world.author, world.community_a)  # it has reached step 1 only
    db.session.commit()
    sign_in(client, "author")
    for go in ("5", "0", "99", "x", "next"):
        response = client.post(f"/ideas/{proposal.id}/step/1", data={"title": "秋千", "problem": "坏了。", "go": go})
        assert response.headers["Location"] == f"/ideas/{proposal.id}/step/2", go
        proposal.wizard_step = 1
        db.session.commit()


def test_enter_means_next_and_the_numbers_belong_to_the_steps_form(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    for no in range(1, 7):
        page = client.get(f"/ideas/{proposal.id}/step/{no}").get_data(as_text=True)
        first = re.search(r'<button [^>]*form="step-form"[^>]*>|<form [^>]*id="step-form".*?<button [^>]*>', page,
                          re.S)[0]
        assert 'name="go" value="next"' in first, (no, first)  # a browser's Enter presses the first button
        numbers = re.findall(r'<button type="submit" form="step-form" name="go" value="(\d)"', page)
        assert numbers == [str(n) for n in range(1, 8) if n != no], (no, numbers)
    check = client.get(f"/ideas/{proposal.id}/step/7").get_data(as_text=True)
    assert 'form="step-form"' not in check and f'href="/ideas/{proposal.id}/step/1"' in check
