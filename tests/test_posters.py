"""Posters and the paper idea sheet (issue 20 item 2): made here, printable on A4, QR codes that open the right
page, and never a poster of something its reader may not see."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from council.campaigns.models import Campaign, Phase
from council.councils.models import Council
from council.extensions import db
from council.proposals.models import Proposal
from tests.accounts.test_views import DEMO_PASSWORD


def _public_and_hidden():
    ideas = list(db.session.scalars(select(Proposal).order_by(Proposal.id)))
    return next(p for p in ideas if p.is_public), next(p for p in ideas if not p.is_public)


def test_a_public_idea_has_a_poster_with_its_words_and_a_qr_code_to_its_page(app, demo, client):
    public, hidden = _public_and_hidden()
    page = client.get(f"/ideas/{public.id}/poster")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and public.title in html and '<svg' in html and 'class="qr"' in html
    assert f"/ideas/{public.id}" in html and "来支持这条建议" in html
    assert "css/poster.css" in html and "<script" not in html
    assert client.get(f"/ideas/{hidden.id}/poster").status_code == 404
    assert client.get(f"/posters/idea/{hidden.id}/qr.png").status_code == 404
    assert f"/ideas/{public.id}/poster" in client.get(f"/ideas/{public.id}").get_data(as_text=True)


def test_the_print_qr_code_is_a_png_of_at_least_1000_pixels(app, demo, client):
    public, _hidden = _public_and_hidden()
    response = client.get(f"/posters/idea/{public.id}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    picture = Image.open(io.BytesIO(response.data))
    assert picture.width >= 1000 and picture.width == picture.height


def _decoded(png: bytes) -> str:
    """What a phone's camera reads from the code: decoded by zxing-cpp, not by the library that drew it."""
    import zxingcpp

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_every_posters_qr_code_decodes_to_the_right_address(app, demo, client):
    """Each idea, campaign and council: the printed code opens its page (an idea), its entry page (a campaign) or
    the wizard with the council chosen (a council), at the platform's public address."""
    base = app.config["PUBLIC_URL"].rstrip("/")
    ideas = [p for p in db.session.scalars(select(Proposal)) if p.is_public]
    campaigns = [c for c in db.session.scalars(select(Campaign)) if c.phase is not Phase.draft]
    councils = list(db.session.scalars(select(Council)))
    expected = {**{("idea", p.id): f"{base}/ideas/{p.id}" for p in ideas},
                **{("campaign", c.id): f"{base}/campaigns/{c.id}/enter" for c in campaigns},
                **{("council", c.id): f"{base}/ideas/new?council={c.id}" for c in councils}}
    assert len(ideas) > 5 and campaigns and len(councils) > 10
    for (kind, object_id), address in expected.items():
        assert _decoded(client.get(f"/posters/{kind}/{object_id}/qr.png").data) == address, (kind, object_id)


def test_a_council_poster_opens_the_wizard_with_that_council_chosen(app, demo, client):
    from council.accounts.operations import find_account
    from council.proposals.operations import councils_for

    choices = councils_for(find_account("child"))
    council = choices[-1]  # not the one the wizard offers first
    assert len(choices) > 1
    html = client.get(f"/councils/{council.id}/poster").get_data(as_text=True)
    assert "扫码提建议" in html and f"/ideas/new?council={council.id}" in html
    child = app.test_client()
    child.post("/login", data={"username": "child", "password": DEMO_PASSWORD})
    wizard = child.get(f"/ideas/new?council={council.id}").get_data(as_text=True)
    chosen = re.findall(r'<input[^>]*name="council"[^>]*>', wizard)
    assert [tag for tag in chosen if "checked" in tag] == [t for t in chosen if f'value="{council.id}"' in t]


def test_the_paper_sheet_asks_the_wizards_questions_with_room_to_write_and_draw(app, demo, client):
    council = db.session.scalar(select(Council).order_by(Council.id))
    html = client.get(f"/councils/{council.id}/idea-sheet").get_data(as_text=True)
    for question in ("我的金点子", "遇到了什么问题？", "在哪里？", "它能帮到谁？", "在这里画出来"):
        assert question in html
    assert html.count('class="box') == 6


def test_a_campaign_being_prepared_has_no_poster_for_the_public(app, demo, client):
    campaigns = list(db.session.scalars(select(Campaign).order_by(Campaign.id)))
    shown = next(c for c in campaigns if c.phase is not Phase.draft)
    html = client.get(f"/campaigns/{shown.id}/poster").get_data(as_text=True)
    assert shown.title in html and f"/campaigns/{shown.id}/enter" in html
    shown.phase = Phase.draft  # the same campaign while it is being prepared
    db.session.commit()
    assert client.get(f"/campaigns/{shown.id}/poster").status_code == 404
    assert client.get(f"/posters/campaign/{shown.id}/qr.png").status_code == 404
