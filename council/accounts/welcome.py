"""One-time set-password links for adults (issue 21): the office gives a new adult a link, printed or mailed,
instead of a password in a spreadsheet; the adult opens it, chooses a password and is signed in.

Only a hash of the link's token is kept, so the table (or a backup of it) opens no account. A link works once, for
LINK_DAYS days; a new link for the same adult ends the earlier ones. Rules only: no request, no commit (the pages
are ``accounts.views.welcome`` and ``accounts.views.welcome_link``)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, exists, select, update
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from council.accounts.models import Account
from council.audit.models import ACTION_LABELS
from council.calendar import clock
from council.db import UTCDateTime
from council.errors import DomainError, require
from council.extensions import db

LINK_DAYS = 14
TOKEN_BYTES = 32  # 43 characters in the link: not to be guessed

ACTION_LABELS.update({
    "welcome_link_issued": _l("Set-password link made"),
    "welcome_link_used": _l("Password set with a one-time link"),
})

# What a link is now, as ``link_state`` names it; only an OPEN one sets a password.
OPEN, UNKNOWN, USED, REVOKED, EXPIRED, SWITCHED_OFF = "open", "unknown", "used", "revoked", "expired", "switched_off"


class WelcomeLink(db.Model):
    """A one-time link with which an adult sets their own password. Only the token's SHA-256 is kept."""

    __tablename__ = "welcome_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a newer link for the same adult
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    account: Mapped[Account] = relationship(foreign_keys=[account_id])

    @property
    def expires_on(self) -> date:
        """The district's day on which the link stops working."""
        return clock.local_day(self.expires_at)


class LinkUnusable(DomainError):
    """The link cannot set a password (any more); ``state`` says why (``link_state``)."""

    status = 410

    def __init__(self, state: str):
        super().__init__(unusable_message(state))
        self.state = state


def unusable_message(state: str) -> str:
    """Why a link does not work, and what to do, for the adult who opened it."""
    if state == USED:
        return _("This link was used already: the password is set. Sign in with your username and that password. "
                 "If you have forgotten it, ask the district office for a new link.")
    if state == REVOKED:
        return _("A newer link was made for this account, and only the newest one works. Use that one, or ask the "
                 "district office for a new link.")
    if state == EXPIRED:
        return _("This link is more than %(days)s days old and no longer works. Ask the district office for a new "
                 "link.", days=LINK_DAYS)
    if state == SWITCHED_OFF:
        return _("This account is switched off. Ask the district office for help.")
    return _("We could not find this link. Check that you opened all of it; if it still does not work, ask the "
             "district office for a new link.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_link(token: str) -> WelcomeLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(WelcomeLink).where(WelcomeLink.token_hash == _hash(token)))


def link_state(link: WelcomeLink | None, now: datetime | None = None) -> str:
    now = now or clock.now()
    if link is None:
        return UNKNOWN
    if link.used_at is not None:
        return USED
    if link.revoked_at is not None:
        return REVOKED
    if link.expires_at <= now:
        return EXPIRED
    if not link.account.active:
        return SWITCHED_OFF
    return OPEN


def link_url(token: str) -> str:
    """The link as the adult opens it: on the address the office is using, or PUBLIC_URL outside a request."""
    if has_request_context():
        return url_for("accounts.welcome", token=token, _external=True)
    from council.urls import external_url

    return external_url("accounts.welcome", token=token)


def may_issue(actor: Account | None, account: Account) -> bool:
    """The district office gives links to adults; only an administrator to an administrator (a link sets the
    password, so it would open the account). No actor: the operator's own command line."""
    if account.is_child:
        return False
    return actor is None or actor.is_admin or (actor.is_coordinator and not account.is_admin)


def _live(now: datetime):
    return (WelcomeLink.used_at.is_(None), WelcomeLink.revoked_at.is_(None), WelcomeLink.expires_at > now)


def live_link(account: Account, now: datetime | None = None) -> WelcomeLink | None:
    """The adult's link that still works, if any (there is at most one)."""
    return db.session.scalar(select(WelcomeLink).where(WelcomeLink.account_id == account.id,
                                                       *_live(now or clock.now()))
                             .order_by(WelcomeLink.id.desc()).limit(1))


def issue_link(account: Account, *, actor: Account | None, mail: bool = False) -> str:
    """A new one-time link for ``account`` to set its password; the adult's earlier links stop working. With
    ``mail`` and an e-mail address on the account, the link also leaves by mail (in the adult's language), in this
    transaction. Returns the link: shown once, never kept."""
    [(url, _link)] = issue_links([account], actor=actor, mail=mail)
    return url


def issue_links(accounts: list[Account], *, actor: Account | None,
                mail: bool = False) -> list[tuple[str, WelcomeLink]]:
    """``issue_link`` for many adults at once (a district's import), with a few statements in all rather than a
    few per adult. Returns each adult's link (shown once, never kept) with its record, in the order given."""
    from council.audit.operations import record
    from council.claims import hold

    for account in accounts:
        require(not account.is_child, _("Set-password links are for adults. Children sign in with their pictures."),
                DomainError)
        require(may_issue(actor, account), _("Only the district office may give an adult a set-password link."))
        require(account.active, _("The account of %(name)s is switched off: a link would not let them in.",
                                  name=account.display_name), DomainError)
    if not accounts:
        return []
    hold(*accounts)  # two taps at once: the second waits, then ends the first one's link
    now = clock.now()
    db.session.execute(update(WelcomeLink).where(WelcomeLink.account_id.in_([a.id for a in accounts]),
                                                 WelcomeLink.used_at.is_(None), WelcomeLink.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    issued = []
    for account in accounts:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        link = WelcomeLink(account_id=account.id, token_hash=_hash(token), created_at=now,
                           expires_at=now + timedelta(days=LINK_DAYS), created_by_id=actor.id if actor else None)
        db.session.add(link)
        url = link_url(token)
        mailed = bool(mail and account.email)
        if mailed:
            _queue_mail(account, url, link.expires_on)
        record("welcome_link_issued", account, actor=actor, expires_on=link.expires_on.isoformat(), mailed=mailed)
        issued.append((url, link))
    return issued


def _queue_mail(account: Account, url: str, expires_on: date) -> None:
    from council.notifications.outbox import queue

    with force_locale(account.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Choose your password for the children's council platform")
        body = "\n\n".join([
            _("Hello %(name)s,", name=account.display_name),
            _("An account on the children's council platform is ready for you. Your username is %(username)s.",
              username=account.username),
            _("Open this link to choose your password. It works once, until %(day)s:", day=format_date(expires_on)),
            url,
            _("If the link no longer works, ask the district office for a new one. If you did not expect this "
              "mail, you may ignore it."),
        ])
    queue(account.email, subject, body, kind="welcome_link")


def redeem(token: str, *, password: str, again: str) -> Account:
    """The adult chooses a password with the link: it works once. The password follows the rule for adults' passwords
    (council/accounts/passwords.py); every session the account had elsewhere ends. Returns the account, for signing
    in (accounts.signing_in)."""
    from council.accounts.operations import hash_password
    from council.accounts.passwords import WeakPassword, password_problem
    from council.accounts.sessions import PASSWORD, end_all_sessions
    from council.audit.operations import record

    link = find_link(token)
    state = link_state(link)
    if state != OPEN:
        raise LinkUnusable(state)
    account = link.account
    require(password == again, _("The two passwords are not the same. Type them again."), WeakPassword,
            field="again")
    problem = password_problem(password, username=account.username)
    require(problem is None, problem or "", WeakPassword, field="password")
    # the link is claimed before anything follows from it: of two taps on "set", one sets the password
    claimed = db.session.execute(update(WelcomeLink).where(WelcomeLink.id == link.id, *_live(clock.now()))
                                 .values(used_at=clock.now()).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise LinkUnusable(USED)
    db.session.refresh(link)
    account.password_hash = hash_password(password)
    end_all_sessions(account, PASSWORD)
    record("welcome_link_used", account, actor=account)
    return account


def pending_accounts(accounts: Iterable[Account]) -> set[int]:
    """The ids of those ``accounts`` who have a link that still works and have never set a password with one:
    adults the office is waiting for."""
    ids = [a.id for a in accounts]
    if not ids:
        return set()
    used = aliased(WelcomeLink)
    return set(db.session.scalars(
        select(WelcomeLink.account_id).distinct()
        .where(WelcomeLink.account_id.in_(ids), *_live(clock.now()),
               ~exists().where(used.account_id == WelcomeLink.account_id, used.used_at.is_not(None)))))


__all__ = ["LINK_DAYS", "LinkUnusable", "WelcomeLink", "find_link", "issue_link", "link_state", "link_url",
           "live_link", "may_issue", "pending_accounts", "redeem", "unusable_message"]
