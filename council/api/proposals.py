from __future__ import annotations

from flask import abort, jsonify, request

from council.api import bp
from council.api.pagination import envelope, page_args
from council.extensions import db
from council.privacy.anonymous import public_authors
from council.proposals.models import Proposal
from council.proposals.queries import Filters, count, with_authors
from council.proposals.timeline import timeline


def proposal_json(proposal: Proposal) -> dict:
    """Only what is public: nicknames, never a child's real name, class or account."""
    task = proposal.plan_task
    return {
        "id": proposal.id,
        "title": proposal.title,
        "council": {"id": proposal.current_council.id, "name": proposal.current_council.name},
        "tier": proposal.current_council.tier.value,
        "state": proposal.state.value,
        "state_label": proposal.state.label,
        "plan_task": {"no": task.no, "title": task.title} if task else None,
        "supports": proposal.support_count,
        "created_at": proposal.created_at.isoformat(),
        "published_at": proposal.published_at.isoformat() if proposal.published_at else None,
        "authors": public_authors(proposal),  # an erased child reads "a child of <council>"
        "on_behalf": proposal.on_behalf,
    }


@bp.get("/proposals")
def proposals():
    """Public ideas. Filters: council, tier, state, task, area, q; sort=newest|supported; page, per_page."""
    filters = Filters.from_args(request.args)
    page, per_page = page_args()
    items = db.session.scalars(with_authors(filters.query()).offset((page - 1) * per_page).limit(per_page)).unique()
    total = count(filters)  # kept a minute, like the list page's
    return jsonify(envelope([proposal_json(p) for p in items], page, per_page, total))


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.is_public:
        abort(404)
    return jsonify(proposal_json(proposal) | {
        "problem": proposal.problem,
        "place": proposal.place,
        "idea": proposal.idea,
        "who_helps": proposal.who_helps,
        "timeline": [{"at": step.when.isoformat(), "text": step.text, "state": step.state}
                     for step in timeline(proposal, private=False)],
    })
