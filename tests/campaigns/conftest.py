"""A small world for campaigns: a district with two streets, a community under each, their adults and children."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw

from council.accounts.models import SystemRole
from council.calendar import clock
from council.campaigns import operations
from council.campaigns.models import CampaignKind, Phase
from council.extensions import db
from council.uploads import storage
from council.uploads.images import process_image
from tests.conftest import kept_world

# The district's day, as the commands and pages see it (council.calendar.clock.today): from 16:00 UTC it is
# already tomorrow in Zhoucun, and a test on the machine's own day would then expect yesterday's phases.
TODAY = clock.today()
RUBRIC = [{"name": "Creativity", "weight": 60}, {"name": "Message", "weight": 40}]


def png(colour=(200, 40, 40), size=(120, 80)) -> bytes:
    im = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(im).ellipse((10, 10, size[0] - 10, size[1] - 10), fill=colour)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def settings(**overrides) -> dict:
    values = dict(kind=CampaignKind.drawing, title="Draw your school", rules="Draw the school you want.",
                  prizes="A certificate", age_groups=[[6, 8], [9, 11], [12, 14], [15, 17]],
                  reviewing_from=TODAY + timedelta(days=7), voting_from=TODAY + timedelta(days=14),
                  judging_from=TODAY + timedelta(days=21), results_from=TODAY + timedelta(days=28),
                  entries_per_child=1, votes_per_child=2, jury_weight=70, rubric=RUBRIC, winners_per_group=2)
    return values | overrides


class Campaigns:
    """A district with two streets, a community under each, their adults and children; campaigns on demand."""

    def __init__(self, make):
        district, street_a, street_b, community_a, community_b = make.tree()
        self.district, self.street_a, self.street_b = district, street_a, street_b
        self.community_a, self.community_b = community_a, community_b
        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator)
        self.facilitator = make.adult("fac_a", role="facilitator", council=street_a)
        self.facilitator_b = make.adult("fac_b", role="facilitator", council=street_b)
        self.teacher = make.adult("teach_a", role="teacher", council=community_a)
        self.juror = make.adult("juror1", name="评委一")
        self.juror2 = make.adult("juror2", name="评委二")
        self.kids = [make.child(community_a, username=f"kid_a{i}", nickname=f"小画家{i}", real_name=f"真名{i}",
                                age=10) for i in range(4)]
        self.teen = make.child(community_a, username="teen_a", nickname="大画家", age=13)
        self.far_kid = make.child(community_b, username="kid_b", nickname="远方", age=10)
        self.waiting = make.child(community_a, username="waiting_a", nickname="等等", age=8, consent=False)
        db.session.commit()

    def campaign(self, council=None, opened=True, organiser=None, jurors=None, **overrides):
        organiser = organiser or (self.coordinator if council is None else self.facilitator)
        c = operations.create_campaign(organiser, council,
                                       jurors=[self.juror, self.juror2] if jurors is None else jurors,
                                       **settings(**overrides))
        if opened:
            operations.move_on(c, organiser, Phase.open)
        return c

    def picture(self, owner, colour=(200, 40, 40)):
        stored = storage.store_image(process_image(png(colour)), owner)
        db.session.flush()
        return stored

    def entry(self, c, kid, title="My school", consent=True, approve=True, **kwargs):
        e = operations.submit_entry(c, kid, kid, title=title, description=f"{title}: a house and a tree",
                                    file=kwargs.pop("file", None) or self.picture(kid), **kwargs)
        if consent:
            operations.record_consent(e, self.teacher, display=True, use=True,
                                      method=operations.ConsentMethod.paper)
        if approve:
            operations.approve(e, self.coordinator if c.council is None else self.facilitator)
        return e

    def to_phase(self, c, phase):
        organiser = self.coordinator if c.council is None else self.facilitator
        while c.phase is not phase:
            operations.move_on(c, organiser, operations.NEXT_PHASE[c.phase])


@kept_world
def world(app, make):
    return Campaigns(make)


def fetch(client, url):
    """GET a file and close it (send_file keeps it open until the response is closed): (status, bytes)."""
    response = client.get(url)
    try:
        return response.status_code, response.data
    finally:
        response.close()


@pytest.fixture(autouse=True)
def in_english(app, english, client):
    """Assertions read the English source sentences: domain code runs in an English request, and the client
    asks for English pages."""
    client.set_cookie("lang", "en")
    with english():
        yield
