"""In-app notifications for everybody, e-mail for adults. A mail is queued in the same transaction as the change
(council/notifications/outbox.py) and leaves with the next `flask --app council send-mail`, never in the request."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, insert, select, update

from council.audit.operations import record
from council.calendar import clock
from council.db import LabeledEnum
from council.errors import require
from council.extensions import db
from council.loading import prepared
from council.notifications.models import Notification, NotificationPreference
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
    "vote_opened": _l("The vote on “%(title)s” has started in %(council)s. You are here today, so you can vote: "
                      "open your page and tap “Go to voting”."),
    "election_opened": _l("An election has started in %(council)s. You are here today, so you can vote: open your "
                          "page and tap “Go to voting”."),
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
    "proposal_answered_again": _l("The units answered “%(title)s” again, after the children asked them to. Are you "
                                  "happy with the answer now?"),
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
         "content_hidden": "reports.flags", "vote_opened": "dashboards.me", "election_opened": "dashboards.me"}


def text_of(notification: Notification) -> str:
    """Worded when read, in the reader's language; a value an older message lacks reads as empty."""
    template = TEXTS.get(notification.kind)
    if template is None:
        return notification.kind
    return str(template) % defaultdict(str, worded(notification.params or {}))


# News of an idea that its supporters hear too: the milestones. Its authors hear all of it.
FOLLOWER_NEWS = frozenset({"proposal_adopted", "proposal_not_adopted", "proposal_forwarded", "proposal_answered",
                           "proposal_answered_again", "proposal_closed"})
# A newer message about an idea makes these earlier ones, not yet read, old news: they count as read.
SUPERSEDES = {
    "proposal_published": {"proposal_submitted", "proposal_returned"},
    "proposal_returned": {"proposal_submitted"},
    "proposal_submitted": {"proposal_returned"},
    "proposal_adopted": {"proposal_on_agenda"},
    "proposal_not_adopted": {"proposal_on_agenda"},
    "proposal_deferred": {"proposal_on_agenda"},
    "task_replied": {"task_dispatched", "task_progress", "task_extension"},
    "proposal_answered": {"task_dispatched", "task_progress", "task_extension", "task_replied"},
    "proposal_answered_again": {"task_dispatched", "task_progress", "task_extension", "task_replied"},
    "proposal_closed": {"task_dispatched", "task_progress", "task_extension", "task_replied", "proposal_answered",
                        "proposal_answered_again"},
    "content_shown_again": {"content_hidden_for_authors"},
    "content_removed": {"content_hidden_for_authors"},
}


def tell_children(proposal, kind: str, **params) -> None:
    """An idea's news for the children who care about it: all of it to its authors, the milestones to its
    supporters."""
    from council.proposals.operations import supporters_of

    followers = supporters_of(proposal) if kind in FOLLOWER_NEWS else []
    notify([*proposal.authors, *followers], kind, proposal, title=proposal.title, **params)


def notify(accounts, kind: str, proposal=None, **params) -> None:
    """Tell each account once, even if listed twice. A message of the same kind about the same idea that is still
    unread is brought up to date instead of repeated, so the bell never holds the same news twice; messages the
    new one makes old news count as read. Adults get a mail as they chose for the kind (``delivery_of``)."""
    seen, readers = set(), []
    for account in accounts:
        if account is not None and account.id not in seen:
            seen.add(account.id)
            readers.append(account)
    if not readers:
        return
    ids = [account.id for account in readers]
    proposal_id = getattr(proposal, "id", None)
    unread = {n.account_id: n for n in db.session.scalars(select(Notification).where(
        Notification.account_id.in_(ids), Notification.kind == kind, Notification.proposal_id == proposal_id,
        Notification.read_at.is_(None)).order_by(Notification.id))}
    now = clock.now()
    new = []  # the new messages, inserted together: one statement for a whole class told at once
    for account in readers:
        earlier = unread.get(account.id)
        if earlier is not None and proposal_id is None and earlier.params != params:
            earlier = None  # a message about no idea is brought up to date only when it says the same
        if earlier is not None:
            told = earlier.params == params
            earlier.params, earlier.created_at = _merged(earlier.params or {}, params), now
            if told:
                continue
        delivery = None if account.is_child or not account.email else delivery_of(account, kind)
        if delivery is Delivery.instant:
            _queue_mail(account, kind, proposal, params)
        digest = delivery is Delivery.digest
        if earlier is None:
            new.append({"account_id": account.id, "kind": kind, "proposal_id": proposal_id, "params": dict(params),
                        "created_at": now, "read_at": None, "digest_due": digest})
        elif digest:
            earlier.digest_due = True
    if new:
        db.session.execute(insert(Notification), new)
    if proposal_id is not None and kind in SUPERSEDES:
        db.session.execute(update(Notification).where(
            Notification.account_id.in_(ids), Notification.proposal_id == proposal_id,
            Notification.kind.in_(SUPERSEDES[kind]), Notification.read_at.is_(None)).values(read_at=now))


# Parameters that add up when the same news comes again unread: two units received the idea → both are named.
MERGED_PARAMS = ("unit",)


def _merged(earlier: dict, params: dict) -> dict:
    merged = dict(params)
    for key in MERGED_PARAMS:
        before, now = earlier.get(key), params.get(key)
        if before and now and now not in before.split("、"):
            merged[key] = f"{before}、{now}"
    return merged


def unread_count(account) -> int:
    """Shown beside the bell on every page a signed-in reader opens: the ideas with news, and each other new
    message (a help request), so one idea's busy day is one thing to look at. The statement is kept built."""
    return db.session.scalar(prepared("unread-count", lambda: select(func.count(func.distinct(
        func.coalesce(Notification.proposal_id, -Notification.id)))).where(
        Notification.account_id == bindparam("account"), Notification.read_at.is_(None))),
        {"account": account.id}) or 0


def recent(account, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.account_id == account.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


@dataclass
class Thread:
    """The messages about one idea (or one message about something else), newest first, as the messages page
    shows them."""

    proposal_id: int | None
    messages: list[Notification]

    @property
    def unread(self) -> int:
        return sum(1 for message in self.messages if message.read_at is None)

    @property
    def title(self) -> str:
        return next((m.params.get("title") for m in self.messages if (m.params or {}).get("title")), "")


def threads(account, limit: int = 50) -> list[Thread]:
    """The reader's recent messages grouped by idea, the idea with the newest message first."""
    grouped: dict = {}
    for message in recent(account, limit):
        key = message.proposal_id if message.proposal_id is not None else -message.id
        grouped.setdefault(key, Thread(message.proposal_id, [])).messages.append(message)
    return list(grouped.values())


def mark_all_read(who) -> None:
    """Every unread message of ``who`` is read now: an account, or a SELECT of account ids (one statement for a
    whole demo district's children, whose messages no session has loaded)."""
    owner = Notification.account_id.in_(who) if isinstance(who, Select) else Notification.account_id == who.id
    db.session.execute(update(Notification).where(owner, Notification.read_at.is_(None)).values(read_at=clock.now())
                       .execution_options(synchronize_session=False))  # no loaded message is read after this


class Delivery(LabeledEnum):
    """How an adult gets one kind of message by mail."""

    instant = "instant", _l("By mail at once")
    digest = "digest", _l("In one mail a day")
    none = "none", _l("Not by mail")


# Safety first: a child who says someone is unkind or they feel unsafe reaches an adult's mail at once, whatever the
# adult chose.
ALWAYS_AT_ONCE = frozenset({"help_request_unsafe"})
# The kinds an adult can receive, in the words of the settings page.
ADULT_KINDS = {
    "proposal_to_screen": _l("A new idea waits to be checked"),
    "voice_transcribed": _l("A voice note was written down"),
    "help_request": _l("A child asks an adult for help"),
    "help_request_unsafe": _l("A child says someone is unkind or they feel unsafe"),
    "content_flagged": _l("An idea was reported"),
    "content_hidden": _l("An idea is hidden after reports"),
    "task_for_unit": _l("A children's idea was sent to your unit"),
    "task_returned_to_office": _l("A unit sent an idea back to the office"),
    "proposal_reopened": _l("The children are not happy with an answer"),
    "proposal_submitted": _l("An idea you wrote for a child was sent"),
    "proposal_published": _l("An idea you wrote for a child is public"),
    "proposal_returned": _l("An idea you wrote for a child came back"),
    "proposal_on_agenda": _l("An idea is on a council's agenda"),
    "proposal_adopted": _l("A council adopted an idea"),
    "proposal_not_adopted": _l("A council did not adopt an idea"),
    "task_replied": _l("A unit answered an idea"),
    "proposal_answered": _l("All units answered an idea"),
    "proposal_closed": _l("An idea is finished"),
}
DIGEST_KEY = "messages:{account}:{day}"


def delivery_of(account, kind: str) -> Delivery:
    if kind in ALWAYS_AT_ONCE:
        return Delivery.instant
    chosen = db.session.get(NotificationPreference, (account.id, kind))
    return Delivery(chosen.delivery) if chosen is not None else Delivery.instant


def deliveries(account) -> dict[str, Delivery]:
    """What the adult chose for each kind on the settings page (at once where nothing was chosen)."""
    chosen = {p.kind: Delivery(p.delivery) for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.account_id == account.id))}
    return {kind: Delivery.instant if kind in ALWAYS_AT_ONCE else chosen.get(kind, Delivery.instant)
            for kind in ADULT_KINDS}


def choose_deliveries(account, choices: dict[str, str]) -> int:
    """Keep an adult's choices; returns how many changed. Children get no mail, so they choose nothing."""
    require(not account.is_child, _("Mail is for adults."))
    changed = 0
    for kind, value in choices.items():
        require(kind in ADULT_KINDS, _("There is no such kind of message."))
        delivery = Delivery(value)
        if kind in ALWAYS_AT_ONCE:
            continue
        row = db.session.get(NotificationPreference, (account.id, kind))
        if (row.delivery if row else Delivery.instant.value) == delivery.value:
            continue
        if row is None:
            db.session.add(NotificationPreference(account_id=account.id, kind=kind, delivery=delivery.value))
        else:
            row.delivery = delivery.value
        changed += 1
    if changed:
        record("notification_preferences_changed", account, actor=account, changes=changed)
    return changed


def send_digests(now, claim) -> int:
    """Each adult who chose a daily digest gets one mail a day (from the first run at or after DIGEST_HOUR in
    Zhoucun) with the messages waiting for it; ``claim(key)`` is the reminders' once-only key, so a second run the
    same day sends nothing. Returns how many mails were queued."""
    local = now.astimezone(clock.zone())
    if local.hour < current_app.config["MESSAGE_DIGEST_HOUR"]:
        return 0
    waiting = list(db.session.scalars(select(Notification).where(Notification.digest_due.is_(True))
                                      .order_by(Notification.account_id, Notification.id)))
    by_account: dict[int, list[Notification]] = {}
    for message in waiting:
        by_account.setdefault(message.account_id, []).append(message)
    sent = 0
    for account_id, messages in by_account.items():
        if not claim(DIGEST_KEY.format(account=account_id, day=local.date().isoformat())):
            continue
        account = messages[0].account
        if account.email:
            with force_locale(account.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
                subject = _("Your messages of the day: %(n)s", n=len(messages))
                lines = []
                for message in messages:
                    lines.append("- " + text_of(message))
                    if message.proposal_id is not None:
                        lines.append("  " + external_url("proposals.show", proposal_id=message.proposal_id))
                queue(account.email, subject, "\n".join([subject, "", *lines]), kind="digest")
            sent += 1
        for message in messages:
            message.digest_due = False
    return sent


def _queue_mail(account, kind, proposal, params) -> None:
    with force_locale(account.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = str(TEXTS[kind]) % worded(params)
        if proposal is not None:
            body += "\n\n" + external_url("proposals.show", proposal_id=proposal.id)
        elif kind in LINKS:
            body += "\n\n" + external_url(LINKS[kind])
        subject = body.split("\n")[0][:80]
    queue(account.email, subject, body, kind=kind)


__all__ = ["ADULT_KINDS", "LINKS", "PARAM_WORDS", "TEXTS", "Delivery", "choose_deliveries", "deliveries",
           "mark_all_read", "notify", "recent", "send_digests", "tell_children", "text_of", "threads",
           "unread_count"]
