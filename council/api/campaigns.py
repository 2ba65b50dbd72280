"""Campaigns and their public entries. Nickname and council only; votes once the results are out."""

from __future__ import annotations

from flask import abort, jsonify, url_for
from sqlalchemy import func, select

from council.api import bp
from council.api.pagination import paginated
from council.campaigns.models import RESULT_PHASES, Campaign, CampaignVote, Entry, EntryState, Phase
from council.campaigns.operations import contest_entries, find_campaign
from council.extensions import db


def campaign_json(campaign: Campaign) -> dict:
    entries = db.session.scalar(select(func.count(Entry.id)).where(Entry.campaign_id == campaign.id)) or 0
    approved = db.session.scalar(select(func.count(Entry.id)).where(
        Entry.campaign_id == campaign.id, Entry.state == EntryState.approved)) or 0
    votes = db.session.scalar(select(func.count(CampaignVote.id)).where(CampaignVote.campaign_id == campaign.id))
    return {
        "id": campaign.id,
        "kind": campaign.kind.value,
        "title": campaign.title,
        "council": {"id": campaign.council.id, "name": campaign.council.name} if campaign.council else None,
        "phase": campaign.phase.value,
        "dates": {"reviewing_from": campaign.reviewing_from.isoformat(),
                  "voting_from": campaign.voting_from.isoformat(),
                  "judging_from": campaign.judging_from.isoformat(),
                  "results_from": campaign.results_from.isoformat()},
        "age_groups": campaign.age_group_labels(),
        "formula": {"jury_weight": campaign.jury_weight, "public_weight": campaign.public_weight,
                    "rubric": campaign.rubric, "winners_per_group": campaign.winners_per_group},
        "counts": {"entries": entries, "approved": approved, "votes": votes or 0},
    }


def entry_json(entry: Entry) -> dict:
    home = entry.author.child_profile.home_council if entry.author.child_profile else None
    data = {
        "id": entry.id,
        "title": entry.title,
        "description": entry.description,
        "text": entry.text or None,
        "age_group": entry.age_group,
        "nickname": entry.author.display_name,
        "council": {"id": home.id, "name": home.name} if home else None,
        "image_url": url_for("proposals.file", key=entry.file.key, _external=True) if entry.file else None,
        "thumbnail_url": url_for("proposals.thumbnail", key=entry.file.key, _external=True) if entry.file else None,
    }
    if entry.campaign.phase in RESULT_PHASES:
        data |= {"votes": entry.votes, "jury_score": entry.jury_score, "final_score": entry.final_score,
                 "rank": entry.rank, "winner": entry.is_winner}
    return data


@bp.get("/campaigns")
def campaigns():
    query = select(Campaign).where(Campaign.phase != Phase.draft).order_by(Campaign.id.desc())
    return jsonify(paginated(query, campaign_json))


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    campaign = find_campaign(campaign_id)
    if campaign is None or campaign.phase is Phase.draft:
        abort(404)
    return jsonify(campaign_json(campaign) | {"entries": [entry_json(e) for e in contest_entries(campaign)]})
