from __future__ import annotations

from flask import abort, jsonify, request

from council.api import bp
from council.api.pagination import envelope, page_args
from council.extensions import db
from council.proposals import cards
from council.proposals.models import Proposal
from council.proposals.queries import Filters, count, read_cards
from council.proposals.timeline import timeline


def proposal_json(proposal: Proposal) -> dict:
    """Only what is public: nicknames, never a child's real name, class or account."""
    council, task = proposal.current_council, proposal.plan_task
    return _document(cards.Card.of(proposal), council.id, council.name, council.tier, task.title if task else None,
                     proposal.created_at, proposal.published_at)


def _document(card: cards.Card, council_id, council_name, tier, task_title, created_at, published_at) -> dict:
    """One idea in the API, from its card (where an erased child reads "a child of <council>") and the few
    columns a card does not show."""
    return {
        "id": card.id,
        "title": card.title,
        "council": {"id": council_id, "name": council_name},
        "tier": tier.value,
        "state": card.state.value,
        "state_label": str(card.state.label),
        "plan_task": {"no": card.task_no, "title": task_title} if card.task_no else None,
        "supports": card.support_count,
        "created_at": created_at.isoformat(),
        "published_at": published_at.isoformat() if published_at else None,
        "authors": list(card.authors),
        "on_behalf": card.on_behalf,
    }


@bp.get("/proposals")
def proposals():
    """Public ideas. Filters: council, tier, state, task, area, q; sort=newest|supported; page, per_page.

    Read as plain rows (council/proposals/cards.py), two statements for the whole page."""
    filters = Filters.from_args(request.args)
    page, per_page = page_args()
    total = count(filters)  # kept a minute, like the list page's
    rows = read_cards(filters, total, offset=(page - 1) * per_page, limit=per_page,
                      extra=(Proposal.current_council_id, cards.CURRENT.name, cards.CURRENT.tier, cards.TASK.title,
                             Proposal.created_at, Proposal.published_at))
    return jsonify(envelope([_document(card, *extra) for card, extra in rows], page, per_page, total))


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
