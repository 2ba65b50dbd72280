"""In-app notifications for everybody, e-mail for adults. A mail is queued in the same transaction as the change
(council/notifications/outbox.py) and leaves with the next `flask --app council send-mail`, never in the request."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update

from council.calendar import clock
from council.extensions import db
from council.loading import prepared
from council.notifications.models import Notification
from council.notifications.outbox import queue
from council.urls import external_url

# The words of each notification, for a child first: short, plain, and saying what happens next.
TEXTS = {
    "proposal_submitted": _l("Your idea “%(title)s” has been sent. A facilitator will read it soon."),
    "proposal_published": _l("Your idea “%(title)s” is now public. Other children can read and support it."),
    "proposal_returned": _l("Your idea “%(title)s” came back to you: %(reason)s You can change it and send it again."),
    "proposal_rejected": _l("Your idea “%(title)s” was not taken up: %(reason)s"),
    "proposal_withdrawn": _l("The idea “%(title)s” was withdrawn by its author."),
    "proposal_to_screen": _l("A new idea “%(title)s” is waiting to be checked in %(council)s."),
    "voice_transcribed": _l("A facilitator wrote down your voice note for “%(title)s”."),
    "proposal_on_agenda": _l("“%(title)s” is on the agenda of %(council)s. The members will talk about it and vote."),
    "proposal_adopted": _l("Good news! %(council)s adopted “%(title)s”: %(for)s for, %(against)s against, "
                           "%(abstain)s abstained."),
    "proposal_not_adopted": _l("%(council)s did not adopt “%(title)s”. This is why: %(reason)s"),
    "proposal_deferred": _l("%(council)s did not decide on “%(title)s” yet. It will come up at another session."),
    "task_dispatched": _l("%(unit)s received your idea “%(title)s”."),
    "task_for_unit": _l("A children's idea “%(title)s” was sent to %(unit)s. Please acknowledge it by %(due)s."),
    "task_returned_to_office": _l("%(unit)s sent back “%(title)s”: %(reason)s Please send it to the right unit."),
    "task_progress": _l("%(unit)s posted progress on “%(title)s”."),
    "task_replied": _l("%(unit)s answered your idea “%(title)s”."),
    "task_extension": _l("%(unit)s has more time for “%(title)s”: it will answer by %(due)s."),
    "proposal_answered": _l("All units have answered “%(title)s”. Are you happy with the answer? Tell us!"),
    "proposal_reopened": _l("The children are not happy with the answer to “%(title)s”. Please send it to the "
                            "units again."),
    "proposal_closed": _l("“%(title)s” is finished. Thank you for your idea!"),
    "proposal_forwarded": _l("“%(title)s” went on to %(council)s, the council above. It keeps its story and "
                             "its supporters."),
    # Help and reporting (council/reports). A child's message never travels in a notification or a mail.
    "help_request": _l("A child in %(council)s asked an adult for help. Please open the help requests."),
    "help_request_unsafe": _l("Please look now: a child in %(council)s says someone is unkind or they feel "
                              "unsafe. Open the help requests."),
    "help_request_seen": _l("An adult has seen your message and will help you."),
    "help_request_closed": _l("An adult has answered your message. Open your help page to read it."),
    "content_flagged": _l("“%(title)s” in %(council)s was reported. Please check it in the reports queue."),
    "content_hidden": _l("“%(title)s” in %(council)s is hidden after %(n)s reports until you check it."),
    "content_hidden_for_authors": _l("Your idea “%(title)s” is hidden for a while, until an adult has checked "
                                     "it. You have done nothing wrong by writing it."),
    "content_shown_again": _l("An adult checked “%(title)s”: it is public again."),
    "content_removed": _l("An adult checked “%(title)s” and took it down: %(reason)s"),
}
# Values kept as codes in a message's parameters, put into the reader's words when it is read: a feature adds its
# own (an indicator's reporting period). A date (a unit's answer date, kept as 2026-12-02) always reads as a date.
PARAM_WORDS: dict[str, Callable[[str], str]] = {}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def worded(params: dict) -> dict:
    """A message's parameters as its reader says them, in the language of the moment (the reader's request, or
    ``force_locale`` for a mail)."""
    def word(key, value):
        if not isinstance(value, str):
            return value
        if key in PARAM_WORDS:
            return PARAM_WORDS[key](value)
        return format_date(date.fromisoformat(value), "long") if ISO_DATE.fullmatch(value) else value

    return {key: word(key, value) for key, value in params.items()}


# Messages about something other than an idea open this page instead (an endpoint without arguments).
LINKS = {"help_request": "reports.inbox", "help_request_unsafe": "reports.inbox", "help_request_seen": "reports.mine",
         "help_request_closed": "reports.mine", "content_flagged": "reports.flags",
         "content_hidden": "reports.flags"}


def text_of(notification: Notification) -> str:
    """Worded when read, in the reader's language; a value an older message lacks reads as empty."""
    template = TEXTS.get(notification.kind)
    if template is None:
        return notification.kind
    return str(template) % defaultdict(str, worded(notification.params or {}))


def notify(accounts, kind: str, proposal=None, **params) -> None:
    """Tell each account (once, even if listed twice); adults with an e-mail address also get a mail."""
    seen = set()
    for account in accounts:
        if account is None or account.id in seen:
            continue
        seen.add(account.id)
        db.session.add(Notification(account_id=account.id, kind=kind, proposal_id=getattr(proposal, "id", None),
                                    params=params))
        if not account.is_child and account.email:
            _queue_mail(account, kind, proposal, params)


def unread_count(account) -> int:
    """Shown beside the bell on every page a signed-in reader opens; the statement is kept built."""
    return db.session.scalar(prepared("unread-count", lambda: select(func.count(Notification.id)).where(
        Notification.account_id == bindparam("account"), Notification.read_at.is_(None))),
        {"account": account.id}) or 0


def recent(account, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.account_id == account.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(account) -> None:
    db.session.execute(update(Notification).where(Notification.account_id == account.id,
                                                  Notification.read_at.is_(None)).values(read_at=clock.now()))


def _queue_mail(account, kind, proposal, params) -> None:
    with force_locale(account.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = str(TEXTS[kind]) % worded(params)
        if proposal is not None:
            body += "\n\n" + external_url("proposals.show", proposal_id=proposal.id)
        elif kind in LINKS:
            body += "\n\n" + external_url(LINKS[kind])
        subject = body.split("\n")[0][:80]
    queue(account.email, subject, body, kind=kind)


__all__ = ["LINKS", "PARAM_WORDS", "TEXTS", "mark_all_read", "notify", "recent", "text_of", "unread_count"]
