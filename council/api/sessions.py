from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from council.api import bp
from council.api.pagination import paginated
from council.councils.models import Council
from council.extensions import db
from council.sessions.models import ItemKind, Outcome, Session, SessionStatus


def session_json(session: Session) -> dict:
    return {
        "id": session.id,
        "council": {"id": session.council.id, "name": session.council.name},
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "place": session.place,
        "online": session.online,
        "status": session.status.value,
        "members": session.members_count,
        "present": session.present_count,
        "quorum_met": session.quorum_met,
    }


def item_json(item) -> dict:
    outcome = item.outcome
    if item.kind is ItemKind.proposal and outcome not in (Outcome.adopted, Outcome.not_adopted, Outcome.deferred):
        outcome = Outcome.pending
    data = {"position": item.position, "kind": item.kind.value, "proposal_id": item.proposal_id,
            "secret": item.secret, "tally": item.tally, "outcome": outcome.value, "reason": item.outcome_reason}
    if item.kind is ItemKind.election:
        data |= {"role": item.election_role.value, "elected": item.elected.display_name if item.elected else None,
                 "candidates": [{"nickname": c.account.display_name, "votes": c.votes} for c in item.candidates]}
    return data


@bp.get("/councils/<int:council_id>/sessions")
def council_sessions(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    query = (select(Session).where(Session.council_id == council.id, Session.status != SessionStatus.draft)
             .order_by(Session.starts_at.desc()))
    return jsonify(paginated(query, session_json))


@bp.get("/sessions/<int:session_id>")
def session(session_id: int):
    session = db.session.get(Session, session_id)
    if session is None or session.status is SessionStatus.draft:
        abort(404)
    return jsonify(session_json(session) | {"items": [item_json(i) for i in session.items],
                                            "minutes": session.minutes})
