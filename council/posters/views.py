"""The poster pages and their print-quality QR codes. Each object is shown on a poster only where its own page is
shown to the reader (council/visibility.py): a public idea, a campaign the reader may see, any council."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from council.campaigns import operations as campaigns
from council.campaigns.models import Campaign
from council.councils.models import Council
from council.extensions import db
from council.posters import qr
from council.proposals.models import Proposal
from council.urls import external_url
from council.visibility import hidden_unless

bp = Blueprint("posters", __name__)


def _public_idea(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    hidden_unless(proposal.is_public)  # a poster is for the wall: only an idea everyone may read
    return proposal


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    hidden_unless(campaigns.may_see(campaign, current_user))
    return campaign


def _council(council_id: int) -> Council:
    return db.session.get(Council, council_id) or abort(404)


# What each poster's QR code opens, and the object it belongs to.
TARGETS = {
    "idea": (_public_idea, lambda p: external_url("proposals.show", proposal_id=p.id)),
    "campaign": (_campaign, lambda c: external_url("campaigns.enter", campaign_id=c.id)),
    "council": (_council, lambda c: external_url("proposals.new", council=c.id)),
}


@bp.get("/ideas/<int:proposal_id>/poster")
def idea(proposal_id: int):
    proposal = _public_idea(proposal_id)
    link = TARGETS["idea"][1](proposal)
    return render_template("posters/idea.html", proposal=proposal, link=link,
                           code=qr.svg(link, _("QR code of the idea's page")))


@bp.get("/campaigns/<int:campaign_id>/poster")
def campaign(campaign_id: int):
    found = _campaign(campaign_id)
    link = TARGETS["campaign"][1](found)
    return render_template("posters/campaign.html", campaign=found, link=link, dates=campaigns.phase_dates(found),
                           code=qr.svg(link, _("QR code of the page for taking part")))


@bp.get("/councils/<int:council_id>/poster")
def council(council_id: int):
    found = _council(council_id)
    link = TARGETS["council"][1](found)
    return render_template("posters/council.html", council=found, link=link,
                           code=qr.svg(link, _("QR code for writing an idea")))


@bp.get("/councils/<int:council_id>/idea-sheet")
def idea_sheet(council_id: int):
    """The paper "我的金点子" a teacher hands out: the wizard's questions with boxes and a frame for a drawing."""
    return render_template("posters/sheet.html", council=_council(council_id))


@bp.get("/posters/<any(idea, campaign, council):kind>/<int:object_id>/qr.png")
def code_png(kind: str, object_id: int):
    load, link = TARGETS[kind]
    response = Response(qr.png(link(load(object_id))), mimetype="image/png")
    response.headers["Content-Disposition"] = f'attachment; filename="qr-{kind}-{object_id}.png"'
    response.headers["Cache-Control"] = "public, max-age=3600" if kind != "campaign" else "private, max-age=600"
    return response
