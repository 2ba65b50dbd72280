"""Nothing a child typed is lost when their sign-in lapsed mid-sentence.

A wizard POST that arrives without a valid session (signed out, browser restarted, CSRF token gone) is
kept server-side under a random token in the browser's session. Once that browser signs in again as an
author of the idea, the words go into the draft. Nobody else can ever write into a draft this way."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import request, session
from sqlalchemy import delete, select

from council.calendar import clock
from council.extensions import db
from council.proposals.models import TEXT_FIELDS, Proposal, RescuedWords

SESSION_KEY = "rescued_words"
RESCUABLE = {"proposals.step", "proposals.autosave"}
KEEP_FOR = timedelta(days=3)


def stash() -> bool:
    """Keep the text fields of this request, if it is a wizard POST; True when something was kept."""
    if request.method != "POST" or request.endpoint not in RESCUABLE:
        return False
    proposal_id = (request.view_args or {}).get("proposal_id")
    fields = {name: request.form[name][:4000] for name in TEXT_FIELDS if request.form.get(name)}
    if not fields or db.session.get(Proposal, proposal_id) is None:
        return False
    db.session.execute(delete(RescuedWords).where(RescuedWords.created_at < clock.now() - KEEP_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(RescuedWords(token=token, proposal_id=proposal_id, fields=fields))
    db.session.commit()
    session[SESSION_KEY] = token
    return True


def claim(account) -> Proposal | None:
    """After sign-in: put kept words into the draft if this account wrote it. Returns the draft."""
    from council.proposals import operations

    token = session.pop(SESSION_KEY, None)
    if not token:
        return None
    rescued = db.session.scalar(select(RescuedWords).where(RescuedWords.token == token))
    if rescued is None:
        return None
    proposal = db.session.get(Proposal, rescued.proposal_id)
    db.session.delete(rescued)
    if proposal is None or not operations.is_author(proposal, account) or proposal.state.value not in (
            "draft", "returned"):
        return None
    operations.save_draft(proposal, account, **rescued.fields)
    return proposal
