"""Starting a signed-in session: the one sequence behind every way in (password, the children's pictures).

It belongs to the web layer, since it works on the browser's session; the rules it applies live in
``accounts.operations.signed_in`` (the record of the sign-in) and ``proposals.rescue.claim`` (words a child was
typing when the session lapsed)."""

from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from council.accounts import operations
from council.accounts.sessions import open_session
from council.extensions import db
from council.proposals import rescue
from council.urls import safe_next


def start_session(account, next_url: str | None = None):
    """Sign ``account`` in on a fresh session, keep the words it was typing, commit once, and answer with its
    landing page (or the draft it was writing, or ``next_url``)."""
    rescued = session.get(rescue.SESSION_KEY)
    session.clear()  # nothing carried over from before …
    if rescued:
        session[rescue.SESSION_KEY] = rescued  # … but the words a child was typing
    open_session(account)
    login_user(account)
    operations.signed_in(account)
    draft = rescue.claim(account)
    db.session.commit()
    flash(_("Welcome, %(name)s!", name=account.display_name), "success")
    if draft is not None:
        flash(_("We kept what you were writing."), "success")
        return redirect(url_for("proposals.step", proposal_id=draft.id, no=draft.wizard_step))
    if next_url:
        return redirect(safe_next(next_url))
    return redirect(url_for(operations.landing_endpoint(account)))
