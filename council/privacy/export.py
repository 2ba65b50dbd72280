"""One child's data as a zip: ``data.json`` and the child's files under ``files/``.

The export is a registry of contributors, one function per kind of data, keyed by name. A feature added
later adds its part with one function::

    from council.privacy.export import Part, contributor

    @contributor("campaign_entries")
    def _entries(child):
        entries = ...  # the child's rows
        return Part([{"title": e.title, "file": file_name(e.file)} for e in entries], files=[e.file for e in entries])

A contributor returns anything ``json.dumps`` can write (dates are written as ISO text), or a ``Part`` when
it also brings files; each file lands in the zip as ``files/<key>.<ext>`` (``file_name``). Import the
module that registers it from that feature's ``models.py`` or ``operations.py`` so it is always loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from council.accounts.models import Account, GuardianConsent, Membership
from council.audit.models import Event
from council.calendar import clock
from council.exports import Archive
from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import Proposal, ProposalAuthor, Support
from council.sessions.models import Feedback
from council.tasks.models import Rating
from council.uploads import storage
from council.uploads.models import StoredFile


@dataclass
class Part:
    data: Any
    files: list[StoredFile] = field(default_factory=list)


CONTRIBUTORS: dict[str, Callable[[Account], Any]] = {}


def contributor(name: str):
    def register(function):
        CONTRIBUTORS[name] = function
        return function

    return register


def file_name(stored: StoredFile) -> str:
    return f"files/{stored.filename}"


def _iso(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def build_zip(child: Account) -> bytes:
    """Every contributor's part in data.json, every file once under files/."""
    parts, files = {}, {}
    for name, function in CONTRIBUTORS.items():
        part = function(child)
        if isinstance(part, Part):
            for stored in part.files:
                files[stored.key] = stored
            part = part.data
        parts[name] = part
    document = {"exported_at": clock.now().isoformat(), "child_id": child.id} | parts
    with Archive() as archive:
        archive.add_text("data.json", json.dumps(document, ensure_ascii=False, indent=2, default=_iso))
        for stored in files.values():
            path = storage.path_of(stored)
            if path.exists():
                archive.add_file(path, file_name(stored))
    return archive.getvalue()


# --- what the platform itself holds about a child ---------------------------------------------------

@contributor("account")
def _account(child: Account):
    return {"username": child.username, "nickname": child.display_name, "created_at": child.created_at,
            "last_login_at": child.last_login_at, "language": child.locale, "active": child.active}


@contributor("private_profile")
def _profile(child: Account):
    profile = child.child_profile
    if profile is None:
        return None
    return {"real_name": profile.real_name, "birth_year": profile.birth_year, "school": profile.school,
            "class": profile.class_name, "home_council": profile.home_council.name if profile.home_council else None}


@contributor("consents")
def _consents(child: Account):
    rows = db.session.scalars(select(GuardianConsent).where(GuardianConsent.child_id == child.id)
                              .order_by(GuardianConsent.id))
    return [{"guardian_name": c.guardian_name, "relation": c.relation, "method": c.method.value,
             "decision": c.decision.value, "policy_version": c.policy_version, "recorded_at": c.recorded_at}
            for c in rows]


@contributor("memberships")
def _memberships(child: Account):
    rows = db.session.scalars(select(Membership).where(Membership.account_id == child.id).order_by(Membership.id))
    return [{"council": m.council.name, "role": m.role.value, "starts_on": m.starts_on, "ends_on": m.ends_on}
            for m in rows]


def ideas_of(child: Account) -> list[Proposal]:
    """Every idea the child is an author of, or started, in any state (drafts too)."""
    authored = select(ProposalAuthor.proposal_id).where(ProposalAuthor.account_id == child.id)
    return list(db.session.scalars(select(Proposal).where(
        or_(Proposal.id.in_(authored), Proposal.created_by_id == child.id)).order_by(Proposal.id)))


@contributor("ideas")
def _ideas(child: Account):
    ideas, files = [], []
    for proposal in ideas_of(child):
        attachments = []
        for attachment in proposal.attachments:
            files.append(attachment.file)
            attachments.append({"kind": attachment.file.kind.value, "description": attachment.description,
                                "transcription": attachment.transcription, "file": file_name(attachment.file),
                                "added_at": attachment.created_at})
        ideas.append({
            "id": proposal.id, "state": proposal.state.value, "council": proposal.council.name,
            "title": proposal.title, "problem": proposal.problem, "place": proposal.place, "idea": proposal.idea,
            "who_helps": proposal.who_helps, "written_by_teacher": proposal.on_behalf,
            "created_at": proposal.created_at, "submitted_at": proposal.submitted_at,
            "published_at": proposal.published_at, "supports": proposal.support_count,
            "edits": [{"field": e.field, "original": e.original, "edited": e.edited, "status": e.status.value,
                       "at": e.created_at} for e in proposal.edits],
            "attachments": attachments,
        })
    return Part(ideas, files=files)


@contributor("uploads")
def _uploads(child: Account):
    """Files the child uploaded, attached to an idea or not (yet)."""
    rows = list(db.session.scalars(select(StoredFile).where(StoredFile.uploaded_by_id == child.id)
                                   .order_by(StoredFile.id)))
    return Part([{"kind": f.kind.value, "file": file_name(f), "uploaded_at": f.created_at} for f in rows],
                files=rows)


@contributor("supports")
def _supports(child: Account):
    rows = db.session.execute(select(Support, Proposal.title).join(Proposal, Proposal.id == Support.proposal_id)
                              .where(Support.account_id == child.id).order_by(Support.id))
    return [{"idea_id": s.proposal_id, "title": title, "at": s.created_at} for s, title in rows]


@contributor("session_feedback")
def _feedback(child: Account):
    rows = db.session.scalars(select(Feedback).where(Feedback.account_id == child.id).order_by(Feedback.id))
    return [{"session_id": f.session_id, "face": f.face.value, "at": f.created_at} for f in rows]


@contributor("answer_ratings")
def _ratings(child: Account):
    rows = db.session.scalars(select(Rating).where(Rating.account_id == child.id).order_by(Rating.id))
    return [{"idea_id": r.proposal_id, "round": r.round, "value": r.value.value, "comment": r.comment,
             "at": r.created_at} for r in rows]


@contributor("notifications")
def _notifications(child: Account):
    rows = db.session.scalars(select(Notification).where(Notification.account_id == child.id)
                              .order_by(Notification.id))
    return [{"kind": n.kind, "idea_id": n.proposal_id, "params": n.params, "at": n.created_at,
             "read_at": n.read_at} for n in rows]


@contributor("events")
def _events(child: Account):
    """What the child did, from the event log (not what adults did about the child)."""
    rows = db.session.scalars(select(Event).where(Event.actor_id == child.id).order_by(Event.id))
    return [{"at": e.created_at, "action": e.action, "what": e.label, "subject": e.subject_type,
             "subject_id": e.subject_id, "from": e.from_state, "to": e.to_state, "reason": e.reason}
            for e in rows]
