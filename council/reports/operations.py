"""Every rule of asking for help and of flagging published content.

No request, no form, no commit here: views load, check, call one of these, commit once."""

from __future__ import annotations

import re
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from council.accounts.models import Account, MembershipRole
from council.accounts.operations import coordinators
from council.audit.operations import record
from council.calendar import clock
from council.councils.models import Council
from council.errors import DomainError, require
from council.extensions import db
from council.notifications.operations import notify
from council.reports.models import (
    HELP_TRANSITIONS,
    ContentFlag,
    FlagReason,
    FlagReview,
    FlagStatus,
    HelpKind,
    HelpRequest,
    HelpStatus,
)
from council.reports.targets import TARGETS, FlagTarget

MESSAGE_MAX = 1000
NOTE_MAX = 1000
FLAG_NOTE_MAX = 300
_IDEA_PATH = re.compile(r"^/ideas/(\d+)(?:/|$)")


class IllegalTransition(DomainError):
    pass


# --- help requests ------------------------------------------------------------------------------

def clean_path(path: str | None) -> str:
    """Only a path on this site is kept (it tells the adult which page the child was on)."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    return path[:300]


def _root_council() -> Council | None:
    return db.session.scalar(select(Council).where(Council.parent_id.is_(None)).order_by(Council.id))


def council_for_help(actor, page_path: str) -> Council | None:
    """A child's own council; otherwise the council of the idea on the page; otherwise the district."""
    profile = getattr(actor, "child_profile", None) if actor is not None and actor.is_authenticated else None
    if profile is not None and profile.home_council is not None:
        return profile.home_council
    found = _IDEA_PATH.match(page_path or "")
    if found:
        from council.proposals.models import Proposal

        proposal = db.session.get(Proposal, int(found.group(1)))
        if proposal is not None:
            return proposal.current_council
    return _root_council()


def helpers_for(council: Council | None) -> list[Account]:
    """The facilitators of the council, or of the nearest council above that has one; the coordinating
    office when there are none."""
    from council.proposals.operations import screeners

    return (screeners(council) if council is not None else []) or coordinators()


def ask_for_help(actor, kind: HelpKind, message: str, page_path: str, submission_key: str, *,
                 now: datetime | None = None) -> tuple[HelpRequest, bool]:
    """A child (or anyone who is not signed in) asks for an adult. No guardian consent is needed: a child
    must always be able to reach help. Returns the request and whether it is new (a second tap is not)."""
    key = (submission_key or "").strip()
    require(16 <= len(key) <= 64, _("Please open the help page again and send it once more."), DomainError)
    account = actor if actor is not None and actor.is_authenticated else None
    existing = db.session.scalar(select(HelpRequest).where(HelpRequest.submission_key == key))
    if existing is not None:
        require(existing.account_id == getattr(account, "id", None),
                _("Please open the help page again and send it once more."), DomainError)
        return existing, False
    message = (message or "").strip()
    require(len(message) <= MESSAGE_MAX, _("Please write less than %(n)s characters.", n=MESSAGE_MAX), DomainError)
    path = clean_path(page_path)
    council = council_for_help(account, path)
    help_request = HelpRequest(account_id=getattr(account, "id", None), council=council, kind=kind, message=message,
                               page_path=path, submission_key=key, created_at=now or clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(help_request)
    except IntegrityError:  # the same form sent twice at the same moment
        return db.session.scalar(select(HelpRequest).where(HelpRequest.submission_key == key)), False
    record("help_requested", help_request, actor=account, council=council, to_state=HelpStatus.open,
           kind=kind.value, page=path)  # never the message: the event log is read more widely
    place = council.name if council is not None else ""
    told = helpers_for(council)
    if kind is HelpKind.unsafe:
        notify(told + coordinators(), "help_request_unsafe", council=place)
    else:
        notify(told, "help_request", council=place)
    return help_request, True


def can_handle(help_request: HelpRequest, actor) -> bool:
    """The facilitators of the request's council and the councils above it; the coordinating office."""
    if not actor.is_authenticated:
        return False
    if help_request.council is None:
        return actor.is_coordinator
    return actor.can_facilitate(help_request.council)


def _move(help_request: HelpRequest, to: HelpStatus, actor: Account, action: str, **data) -> None:
    if to not in HELP_TRANSITIONS[help_request.status]:
        raise IllegalTransition(_("This request is “%(state)s” now, so it cannot become “%(to)s”.",
                                  state=help_request.status.label, to=to.label))
    before, help_request.status = help_request.status, to
    record(action, help_request, actor=actor, council=help_request.council, from_state=before, to_state=to,
           **data)


def mark_seen(help_request: HelpRequest, actor: Account, *, now: datetime | None = None) -> None:
    require(can_handle(help_request, actor), _("Only a facilitator of this council can do that."))
    _move(help_request, HelpStatus.seen, actor, "help_request_seen")
    help_request.seen_at, help_request.handled_by = now or clock.now(), actor
    if help_request.account is not None:
        notify([help_request.account], "help_request_seen")


def close(help_request: HelpRequest, actor: Account, note: str, *, now: datetime | None = None) -> None:
    """Done. The note is written for the child, who reads it on their help page."""
    require(can_handle(help_request, actor), _("Only a facilitator of this council can do that."))
    note = (note or "").strip()
    require(bool(note), _("Write a short note for the child: what has been done?"), DomainError)
    require(len(note) <= NOTE_MAX, _("Please write less than %(n)s characters.", n=NOTE_MAX), DomainError)
    now = now or clock.now()
    _move(help_request, HelpStatus.closed, actor, "help_request_closed")
    help_request.seen_at = help_request.seen_at or now
    help_request.closed_at, help_request.handled_by, help_request.note = now, actor, note
    if help_request.account is not None:
        notify([help_request.account], "help_request_closed")


def viewed(help_request: HelpRequest, actor: Account) -> None:
    """A child's message is their private data: every adult who opens it is written to the event log."""
    child = help_request.account
    if child is not None and child.is_child and help_request.message:
        record("child_data_viewed", child, actor=actor,
               council=child.child_profile.home_council if child.child_profile else help_request.council,
               view="help_request", help_request=help_request.id)


def _inbox_statement(actor: Account, show_closed: bool):
    query = select(HelpRequest)
    if not actor.is_coordinator:
        held = actor.councils_as(MembershipRole.facilitator)
        if not held:
            return None
        query = query.join(Council, Council.id == HelpRequest.council_id).where(
            or_(*(Council.path.startswith(c.path) for c in held)))
    if not show_closed:
        query = query.where(HelpRequest.status != HelpStatus.closed)
    return query


def inbox_count(actor: Account) -> int:
    """How many requests the inbox lists (those not done yet), counted by the database."""
    query = _inbox_statement(actor, False)
    return 0 if query is None else db.session.scalar(select(func.count()).select_from(query.subquery()))


def inbox(actor: Account, *, show_closed: bool = False) -> list[HelpRequest]:
    """The requests of the councils this adult facilitates (and those below), open ones first, newest first."""
    query = _inbox_statement(actor, show_closed)
    if query is None:
        return []
    order = {HelpStatus.open: 0, HelpStatus.seen: 1, HelpStatus.closed: 2}
    found = list(db.session.scalars(query.order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())))
    return sorted(found, key=lambda r: (order[r.status], r.kind is not HelpKind.unsafe))


def mine(account: Account) -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest).where(HelpRequest.account_id == account.id)
                                   .order_by(HelpRequest.id.desc())))


# --- flags --------------------------------------------------------------------------------------

def target_of(target_type: str) -> FlagTarget | None:
    return TARGETS.get(target_type)


def open_flags(target_type: str, target_id: int) -> list[ContentFlag]:
    return list(db.session.scalars(select(ContentFlag).where(
        ContentFlag.target_type == target_type, ContentFlag.target_id == target_id,
        ContentFlag.status == FlagStatus.open).order_by(ContentFlag.id)))


def my_flag(target_type: str, target_id: int, account) -> ContentFlag | None:
    if not account.is_authenticated:
        return None
    return db.session.scalar(select(ContentFlag).where(
        ContentFlag.target_type == target_type, ContentFlag.target_id == target_id,
        ContentFlag.account_id == account.id))


def may_flag(target: FlagTarget, item, account) -> bool:
    return (account.is_authenticated and target.is_flaggable(item)
            and all(a.id != account.id for a in target.authors(item)))


def flag(actor: Account, target: FlagTarget, item, reason: FlagReason, note: str = "", *,
         now: datetime | None = None) -> tuple[ContentFlag, bool]:
    """Report a published item, once per account. At FLAG_HIDE_THRESHOLD open flags it is hidden until a
    facilitator of its council has looked at it. Returns the flag and whether it is new."""
    require(actor.is_authenticated, _("Please sign in first."))
    existing = my_flag(target.type, item.id, actor)
    if existing is not None:
        return existing, False
    require(target.is_flaggable(item), _("This can no longer be reported: it is not public now."), DomainError)
    require(all(a.id != actor.id for a in target.authors(item)),
            _("This is your own. If you want it gone, you can withdraw it."), DomainError)
    note = (note or "").strip()
    require(len(note) <= FLAG_NOTE_MAX, _("Please write less than %(n)s characters.", n=FLAG_NOTE_MAX), DomainError)
    now = now or clock.now()
    entry = ContentFlag(target_type=target.type, target_id=item.id, account_id=actor.id, reason=reason, note=note,
                        created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # two taps at the same moment: the database keeps one
        return my_flag(target.type, item.id, actor), False
    council = target.council(item)
    record("content_flagged", entry, actor=actor, council=council, target_type=target.type, target_id=item.id,
           reason=reason.value)
    count = db.session.scalar(select(func.count(ContentFlag.id)).where(
        ContentFlag.target_type == target.type, ContentFlag.target_id == item.id,
        ContentFlag.status == FlagStatus.open))
    reviewers = helpers_for(council)
    if count >= current_app.config["FLAG_HIDE_THRESHOLD"] and not target.is_hidden(item):
        target.hide(item, now)
        record("content_hidden", item, actor=None, council=council, flags=count)
        notify(reviewers, "content_hidden", title=target.title(item), council=council.name, n=count)
        notify(target.authors(item), "content_hidden_for_authors", target.notification_subject(item),
               title=target.title(item))
    elif count == 1:
        notify(reviewers, "content_flagged", title=target.title(item), council=council.name)
    return entry, True


def can_review(target: FlagTarget, item, actor) -> bool:
    return actor.is_authenticated and actor.can_facilitate(target.council(item))


def _settle(actor: Account, target: FlagTarget, item, decision: FlagStatus, reason: str,
            now: datetime | None) -> FlagReview:
    require(can_review(target, item, actor), _("Only a facilitator of this council can do that."))
    flags = open_flags(target.type, item.id)
    require(bool(flags), _("No reports are waiting for a decision here."), IllegalTransition)
    now = now or clock.now()
    for entry in flags:
        entry.status, entry.reviewed_at = decision, now
    review = FlagReview(target_type=target.type, target_id=item.id, decision=decision, reason=reason,
                        flags=len(flags), decided_by_id=actor.id, created_at=now)
    db.session.add(review)
    return review


def keep(actor: Account, target: FlagTarget, item, reason: str = "", *, now: datetime | None = None) -> FlagReview:
    """The item is fine: its open flags are dismissed and it is public again."""
    reason = (reason or "").strip()
    review = _settle(actor, target, item, FlagStatus.kept, reason, now)
    was_hidden = target.is_hidden(item)
    target.unhide(item)
    record("flags_kept", item, actor=actor, council=target.council(item), reason=reason or None,
           flags=review.flags, target_type=target.type)
    if was_hidden:
        notify(target.authors(item), "content_shown_again", target.notification_subject(item), title=target.title(item))
    return review


def remove(actor: Account, target: FlagTarget, item, reason: str, *, now: datetime | None = None) -> FlagReview:
    """The item stays hidden, with a reason its authors read. Its state does not change (docs/decisions.md)."""
    reason = (reason or "").strip()
    require(bool(reason), _("Write the reason for the authors: why is it taken down?"), DomainError)
    review = _settle(actor, target, item, FlagStatus.removed, reason, now)
    if not target.is_hidden(item):
        target.hide(item, review.created_at)
    record("flags_removed", item, actor=actor, council=target.council(item), reason=reason, flags=review.flags,
           target_type=target.type)
    notify(target.authors(item), "content_removed", target.notification_subject(item), title=target.title(item),
           reason=reason)
    return review


def latest_review(target_type: str, target_id: int) -> FlagReview | None:
    return db.session.scalar(select(FlagReview).where(
        FlagReview.target_type == target_type, FlagReview.target_id == target_id).order_by(FlagReview.id.desc()))


def review_count(actor: Account) -> int:
    """How many items ``review_queue`` lists for this adult: one statement per kind of item that says where its items
    belong (``FlagTarget.council_paths``), the same rule as ``can_review`` (a council this adult facilitates, or
    one below it; the office reviews everything)."""
    if not actor.is_authenticated:
        return 0
    held = [] if actor.is_coordinator else actor.councils_as(MembershipRole.facilitator)
    total, queue = 0, None
    for target_type, target in TARGETS.items():
        places = target.council_paths()
        if places is None:  # a kind that cannot say where its items belong: counted from the queue, read once
            queue = review_queue(actor) if queue is None else queue
            total += sum(entry["target"] is target for entry in queue)
            continue
        if not actor.is_coordinator and not held:
            continue
        places = places.subquery()
        item_id, path = places.c[0], places.c[1]
        query = (select(func.count(func.distinct(ContentFlag.target_id)))
                 .join(places, item_id == ContentFlag.target_id)
                 .where(ContentFlag.target_type == target_type, ContentFlag.status == FlagStatus.open))
        if held:
            query = query.where(or_(*(path.startswith(c.path) for c in held)))
        total += db.session.scalar(query)
    return total


def review_queue(actor: Account) -> list[dict]:
    """Items with open flags that this adult may review: hidden ones first, then the most reported."""
    rows = db.session.execute(
        select(ContentFlag.target_type, ContentFlag.target_id, func.count(ContentFlag.id),
               func.min(ContentFlag.created_at))
        .where(ContentFlag.status == FlagStatus.open)
        .group_by(ContentFlag.target_type, ContentFlag.target_id)).all()
    queue = []
    for target_type, target_id, count, first in rows:
        target = target_of(target_type)
        item = target.get(target_id) if target else None
        if item is None or not can_review(target, item, actor):
            continue
        queue.append({"target": target, "item": item, "count": count, "first": first,
                      "hidden": target.is_hidden(item), "flags": open_flags(target_type, target_id)})
    return sorted(queue, key=lambda e: (not e["hidden"], -e["count"], e["first"]))
