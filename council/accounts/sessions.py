"""Signed-in sessions, kept on the server (DESIGN §8: a session ends when its owner signs out, changes the
password, or is switched off — on every device; a child's session on a shared tablet also ends after an idle time).

The browser's cookie names a session row; the account is loaded only while that row is open and the account is
active (``accounts.views.load_user``), so a copied or replayed cookie stops working the moment its session ends.
Rules only: no request, no commit (the web side is ``accounts.signing_in``)."""

from __future__ import annotations

import secrets

from sqlalchemy import update

from council.accounts.models import Account, AccountSession
from council.calendar import clock
from council.extensions import db

# Why a session ended, as the event log and the table keep it.
SIGNED_OUT, EVERYWHERE, PASSWORD, PICTURE_CODE, SWITCHED_OFF, IDLE = (
    "signed_out", "signed_out_everywhere", "password_changed", "picture_code_changed", "switched_off", "idle")


def open_session(account: Account) -> str:
    """A new session for ``account``; its key goes into the cookie (``Account.get_id``)."""
    key = secrets.token_urlsafe(32)
    db.session.add(AccountSession(key=key, account_id=account.id, created_at=clock.now()))
    account.session_key = key
    return key


def end_session(account: Account, why: str = SIGNED_OUT) -> None:
    """End the session ``account`` was loaded with (this device)."""
    if account.session_key:
        db.session.execute(update(AccountSession).where(AccountSession.key == account.session_key,
                                                        AccountSession.ended_at.is_(None))
                           .values(ended_at=clock.now(), ended_why=why))


def end_all_sessions(account: Account | int, why: str, *, keep: str | None = None) -> int:
    """End every open session of ``account`` (or the account with this id), on every device but the one whose key
    is ``keep``. Returns how many were open."""
    account_id = account if isinstance(account, int) else account.id
    query = update(AccountSession).where(AccountSession.account_id == account_id, AccountSession.ended_at.is_(None))
    if keep:
        query = query.where(AccountSession.key != keep)
    result = db.session.execute(query.values(ended_at=clock.now(), ended_why=why))
    return result.rowcount or 0
