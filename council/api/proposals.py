from __future__ import annotations

from flask import abort, jsonify, request
from sqlalchemy.orm import selectinload

from council.api import bp
from council.api.pagination import paginated
from council.extensions import db
from council.privacy.anonymous import public_authors
from council.proposals.models import Proposal, ProposalAuthor
from council.proposals.queries import Filters
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
    query = filters.query().options(
        selectinload(Proposal.current_council), selectinload(Proposal.plan_task),
        selectinload(Proposal.author_links).selectinload(ProposalAuthor.account))
    return jsonify(paginated(query, proposal_json))


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
