"""Text as children type it: the invisible characters that hide, reorder or break text are taken out on the way
in, from forms, addresses and JSON alike; emoji stay whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from council.extensions import db
from council.text import clean

CASES = [
    ("我的\u202e图片.exe", "我的图片.exe"),  # right-to-left override
    ("小\u200b星星", "小星星"),  # zero-width space
    ("\ufeff公园", "公园"),  # byte order mark
    ("a\u2066b\u2069c", "abc"),  # isolates
    ("路灯\x00坏了\x07", "路灯坏了"),  # C0 controls
    ("第一行\n第二行\t完", "第一行\n第二行\t完"),  # lines and tabs stay
    ("家人👨\u200d👩\u200d👧", "家人👨\u200d👩\u200d👧"),  # a family emoji keeps its joiners
    ("❤\ufe0f 👍🏽 🎉", "❤\ufe0f 👍🏽 🎉"),  # variation selector and skin tone stay
    ("零\u200d宽", "零宽"),  # a joiner between letters is only hidden
    ("soft\u00adhyphen", "softhyphen"),
]


@pytest.mark.parametrize(("typed", "kept"), CASES)
def test_clean_keeps_what_people_see_and_drops_what_hides(typed, kept):
    assert clean(typed) == kept


def test_a_draft_saved_from_the_form_is_stored_without_invisible_characters(client, auth, make):
    from council.proposals.models import Proposal

    district, *_rest = make.tree()
    make.child(district, username="writer", nickname="小作者")
    db.session.commit()
    auth.login("writer")
    client.post("/ideas/new", data={"council": district.id})
    proposal = db.session.scalar(select(Proposal))
    client.post(f"/ideas/{proposal.id}/step/1",
                data={"title": "秋千\u202e坏了", "problem": "链子\u200b断了👨\u200d👩\u200d👧"})
    db.session.refresh(proposal)
    assert (proposal.title, proposal.problem) == ("秋千坏了", "链子断了👨\u200d👩\u200d👧")


def test_query_strings_and_json_arrive_cleaned(app):
    from flask import request

    with app.test_request_context("/ideas/?q=%E8%B7%AF%E2%80%8B%E7%81%AF", method="POST",
                                  json={"summary": "已修好\u202e", "items": ["\u200b灯"]}):
        assert request.args["q"] == "路灯"
        assert request.get_json() == {"summary": "已修好", "items": ["灯"]}
