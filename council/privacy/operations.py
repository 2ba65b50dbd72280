"""Guardians' data requests, deleting a child's data, and the retention purge. Every rule lives here."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, event, select, true, update
from sqlalchemy.orm import Session

from council.accounts import sessions
from council.accounts.models import (
    Account,
    AccountKind,
    ChildProfile,
    ConsentDecision,
    GuardianConsent,
    Membership,
)
from council.audit.operations import record
from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.notifications.models import Notification
from council.privacy.anonymous import is_erased
from council.privacy.export import build_zip, ideas_of
from council.privacy.models import (
    HUMAN_CHANNELS,
    AnonymousAuthor,
    DataRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from council.proposals.models import PUBLIC_STATES, Proposal, Support
from council.tasks.models import Rating
from council.uploads import storage
from council.uploads.models import FileKind, StoredFile

ERASED_NICKNAME = "已注销"
# A file stored less than this long ago may belong to an upload still being saved: the purge leaves it.
FILE_GRACE = timedelta(days=1)
# Tables whose rows go with an idea through the ORM's cascade; every other reference is handled generically.
CASCADED_WITH_PROPOSAL = {"proposals", "proposal_authors", "attachments", "proposal_edits"}


# --- who may do what ----------------------------------------------------------------------------------

def can_record_for(actor: Account, child: Account) -> bool:
    """Teachers and facilitators reaching the child, the coordinating office and the admin."""
    return child.is_child and actor.can_see_child_private_data(child)


def can_handle(actor: Account, request: DataRequest) -> bool:
    """Decided by the council the child belonged to when the request came in, so it holds after deletion."""
    if actor.is_coordinator:
        return True
    return request.council is not None and actor.can_teach_in(request.council)


def open_requests(actor: Account) -> list[DataRequest]:
    rows = db.session.scalars(select(DataRequest).where(DataRequest.status == RequestStatus.received)
                              .order_by(DataRequest.created_at, DataRequest.id))
    return [r for r in rows if can_handle(actor, r)]


def recent_requests(actor: Account, limit: int = 20) -> list[DataRequest]:
    rows = db.session.scalars(select(DataRequest).where(DataRequest.status != RequestStatus.received)
                              .order_by(DataRequest.id.desc()).limit(200))
    return [r for r in rows if can_handle(actor, r)][:limit]


def requests_of(child: Account) -> list[DataRequest]:
    return list(db.session.scalars(select(DataRequest).where(DataRequest.child_id == child.id)
                                   .order_by(DataRequest.id.desc())))


# --- requests --------------------------------------------------------------------------------------

def _grace() -> timedelta:
    return timedelta(days=current_app.config["PRIVACY_DELETION_GRACE_DAYS"])


def _open_request(child: Account, kind: RequestKind) -> DataRequest | None:
    return db.session.scalar(select(DataRequest).where(
        DataRequest.child_id == child.id, DataRequest.kind == kind, DataRequest.status == RequestStatus.received))


def record_request(child: Account, actor: Account, *, kind: RequestKind, requester_name: str, relation: str,
                   channel: RequestChannel, note: str = "") -> DataRequest:
    """A guardian asked, on paper, in person, by phone or online; an adult who reaches the child writes it down."""
    require(child.is_child, _("Data requests are for children's accounts."), DomainError)
    require(not is_erased(child), _("This child's data has already been deleted."), DomainError)
    require(can_record_for(actor, child), _("You may only record requests for children in your councils."))
    require(channel in HUMAN_CHANNELS, _("Choose how the guardian asked."), DomainError)
    require(bool(requester_name.strip()), _("Write the name of the person asking."), DomainError)
    require(_open_request(child, kind) is None,
            _("There is already an open request of this kind for %(name)s.", name=child.display_name), DomainError)
    request = DataRequest(
        child=child, council=child.child_profile.home_council, kind=kind, requester_name=requester_name.strip(),
        relation=relation.strip(), channel=channel, note=note.strip(), recorded_by=actor,
        due_at=clock.now() + _grace() if kind is RequestKind.deletion else None)
    db.session.add(request)
    record("data_request_received", request, actor=actor, council=request.council, to_state=request.status,
           kind=kind.value, channel=channel.value, child_id=child.id)
    return request


def _require_open(request: DataRequest) -> None:
    require(request.is_open, _("This request was already handled (%(status)s).", status=request.status.label),
            DomainError)


def _close(request: DataRequest, actor: Account | None, status: RequestStatus, reason: str | None = None) -> None:
    before = request.status
    request.status, request.handled_by, request.handled_at = status, actor, clock.now()
    if reason is not None:
        request.reason = reason
    action = {RequestStatus.done: "data_request_done", RequestStatus.refused: "data_request_refused",
              RequestStatus.cancelled: "data_request_cancelled"}[status]
    record(action, request, actor=actor, council=request.council, from_state=before, to_state=status,
           reason=reason, kind=request.kind.value, child_id=request.child_id)


def export_data(request: DataRequest, actor: Account) -> bytes:
    """The zip for an export request; downloading it is a view of the child's private data, so it is recorded."""
    require(can_handle(actor, request), _("You may only handle requests for children in your councils."))
    require(request.kind is RequestKind.export, _("This is not an export request."), DomainError)
    require(request.status in (RequestStatus.received, RequestStatus.done),
            _("This request was refused, so there is nothing to download."), DomainError)
    child = request.child
    require(not is_erased(child), _("This child's data has already been deleted."), DomainError)
    data = build_zip(child)
    record("child_data_viewed", child, actor=actor, council=request.council, view="export", request=request.id)
    record("child_data_exported", request, actor=actor, council=request.council, child_id=child.id,
           bytes=len(data))
    return data


def carry_out(request: DataRequest, actor: Account | None) -> None:
    """Export: the copy was handed over. Deletion: the child's data is deleted now."""
    if actor is not None:
        require(can_handle(actor, request), _("You may only handle requests for children in your councils."))
    _require_open(request)
    if request.kind is RequestKind.deletion:
        erase(request.child, actor, request)
    _close(request, actor, RequestStatus.done)


def refuse(request: DataRequest, actor: Account, reason: str) -> None:
    require(can_handle(actor, request), _("You may only handle requests for children in your councils."))
    _require_open(request)
    require(bool((reason or "").strip()), _("Write why the request is refused; the guardian will be told."),
            DomainError)
    _close(request, actor, RequestStatus.refused, reason.strip())


def consent_changed(child: Account, consent: GuardianConsent, actor: Account) -> None:
    """Called by ``record_consent``: a refusal or withdrawal opens a deletion the purge carries out after the
    grace period; consent given again within it cancels that deletion."""
    pending = db.session.scalar(select(DataRequest).where(
        DataRequest.child_id == child.id, DataRequest.kind == RequestKind.deletion,
        DataRequest.status == RequestStatus.received, DataRequest.automatic.is_(True)))
    if consent.decision is ConsentDecision.granted:
        if pending is not None:
            _close(pending, actor, RequestStatus.cancelled, _("The guardian gave consent again."))
        return
    if _open_request(child, RequestKind.deletion) is not None:
        return  # a deletion is already on its way
    request = DataRequest(
        child=child, council=child.child_profile.home_council, kind=RequestKind.deletion, automatic=True,
        requester_name=consent.guardian_name, relation=consent.relation,
        channel=RequestChannel(consent.method.value), recorded_by=actor, due_at=clock.now() + _grace(),
        note=str(consent.decision.label))
    db.session.add(request)
    record("data_request_received", request, actor=actor, council=request.council, to_state=request.status,
           kind=RequestKind.deletion.value, channel=request.channel.value, child_id=child.id, automatic=True)


# --- deletion --------------------------------------------------------------------------------------

def _references(target: str):
    """Every (table, column) in the schema that points at ``target`` (``"proposals.id"``): tables added by
    later features are found without being listed here."""
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.target_fullname == target:
                yield table, fk.parent


def referenced_file_ids() -> set[int]:
    ids: set[int] = set()
    for _table, column in _references("stored_files.id"):
        ids |= set(db.session.scalars(select(column).where(column.is_not(None))))
    return ids


def _remove_after_commit(stored: StoredFile) -> None:
    paths = [storage.path_of(stored)]
    if stored.has_thumbnail:
        paths.append(storage.path_of(stored, thumbnail=True))
    db.session.info.setdefault("privacy_remove_files", []).extend(paths)


@event.listens_for(Session, "after_commit")
def _remove_files(session) -> None:
    for path in session.info.pop("privacy_remove_files", None) or ():
        Path(path).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files(session) -> None:
    session.info.pop("privacy_remove_files", None)


def _delete_proposals(ids: list[int]) -> None:
    """Delete ideas nobody else may see any more, and whatever points at them."""
    if not ids:
        return
    db.session.flush()
    for table, column in _references("proposals.id"):
        if table.name in CASCADED_WITH_PROPOSAL and table.name != "proposals":
            continue
        if column.nullable:
            db.session.execute(update(table).where(column.in_(ids)).values({column.name: None}))
        else:
            db.session.execute(delete(table).where(column.in_(ids)))
    for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids))):
        db.session.delete(proposal)
    db.session.flush()


def _unique_erased_username(child: Account) -> str:
    username = f"deleted-{child.id}"
    while db.session.scalar(select(Account.id).where(Account.username == username, Account.id != child.id)):
        username = f"deleted-{child.id}-{secrets.token_hex(3)}"
    return username


def erase(child: Account, actor: Account | None, request: DataRequest) -> dict[str, int]:
    """Delete a child's data. Published ideas stay, by "a child of <council>"; everything else goes."""
    require(child.is_child, _("Only a child's data can be deleted here."), DomainError)
    require(not is_erased(child), _("This child's data has already been deleted."), DomainError)
    council = child.child_profile.home_council
    counts = {"ideas_kept": 0, "ideas_deleted": 0, "files_deleted": 0}
    doomed_files: list[StoredFile] = []
    doomed_ideas: list[int] = []

    for proposal in ideas_of(child):
        link = next((a for a in proposal.author_links if a.account_id == child.id), None)
        others = [a for a in proposal.author_links if a.account_id != child.id]
        # Kept if it was ever published (DESIGN §7.6), hidden by reports or not: this is about the idea's state in
        # the loop, not about who may read it now (that is Proposal.is_public).
        if proposal.state in PUBLIC_STATES:
            if link is not None:
                db.session.add(AnonymousAuthor(proposal_id=proposal.id, position=link.position))
                proposal.author_links.remove(link)
            for attachment in list(proposal.attachments):
                # A voice identifies a child: the recording goes, pictures stay with the idea.
                if attachment.file.kind is FileKind.voice and attachment.file.uploaded_by_id == child.id:
                    doomed_files.append(attachment.file)
                    proposal.attachments.remove(attachment)
            counts["ideas_kept"] += 1
        elif others:
            if link is not None:
                proposal.author_links.remove(link)
        else:
            doomed_files.extend(a.file for a in proposal.attachments)
            doomed_ideas.append(proposal.id)
    db.session.flush()
    _delete_proposals(doomed_ideas)
    counts["ideas_deleted"] = len(doomed_ideas)

    db.session.execute(delete(Support).where(Support.account_id == child.id))  # the counts on the ideas stay
    db.session.execute(delete(Notification).where(Notification.account_id == child.id))
    db.session.execute(update(Rating).where(Rating.account_id == child.id).values(comment=""))
    today = clock.today()
    for membership in db.session.scalars(select(Membership).where(Membership.account_id == child.id)):
        if membership.starts_on > today:
            db.session.delete(membership)
        elif membership.ends_on is None or membership.ends_on > today:
            membership.ends_on = today
    # Consents stay as the legal record that the child took part lawfully, without the guardian's name.
    db.session.execute(update(GuardianConsent).where(GuardianConsent.child_id == child.id).values(guardian_name=""))
    db.session.execute(update(DataRequest).where(DataRequest.child_id == child.id)
                       .values(requester_name="", note=""))

    db.session.flush()
    referenced = referenced_file_ids()
    for stored in db.session.scalars(select(StoredFile).where(StoredFile.uploaded_by_id == child.id)):
        if stored.id in referenced:
            stored.uploaded_by_id = None
        elif stored not in doomed_files:
            doomed_files.append(stored)
    for stored in doomed_files:
        if stored.id not in referenced:
            _remove_after_commit(stored)
            db.session.delete(stored)
            counts["files_deleted"] += 1
    db.session.flush()

    # Through SQL, not the ORM: the ORM would first try to blank the consents' link to the child.
    profile = child.child_profile
    db.session.execute(delete(ChildProfile).where(ChildProfile.account_id == child.id))
    db.session.expunge(profile)
    db.session.expire(child, ["child_profile"])
    child.username = _unique_erased_username(child)
    child.display_name = ERASED_NICKNAME
    child.password_hash = "!" + secrets.token_hex(16)  # matches no password
    child.email = child.locale = child.last_login_at = None
    child.active = False
    sessions.end_all_sessions(child, sessions.SWITCHED_OFF)
    record("child_data_erased", child, actor=actor, council=council, request=request.id, **counts)
    return counts


# --- retention purge ---------------------------------------------------------------------------------

def _grown_up_since(birth_year: int) -> date:
    """The day a child born in ``birth_year`` is certainly 18: only the year is kept."""
    return date(birth_year + 19, 1, 1)


def purge(*, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """For cron: carry out due deletions, delete unused and grown-up children's accounts, remove files
    nothing refers to. ``dry_run`` counts without changing anything."""
    now = now or clock.now()
    retention = timedelta(days=current_app.config["CHILD_RETENTION_DAYS"])
    counts = {"requests": 0, "inactive": 0, "grown_up": 0, "files": 0, "stray_files": 0}

    due = list(db.session.scalars(select(DataRequest).where(
        DataRequest.kind == RequestKind.deletion, DataRequest.status == RequestStatus.received,
        DataRequest.due_at <= now).order_by(DataRequest.id)))
    counts["requests"] = len(due)
    pending = {r.child_id for r in db.session.scalars(select(DataRequest).where(
        DataRequest.kind == RequestKind.deletion, DataRequest.status == RequestStatus.received))}

    children = list(db.session.scalars(
        select(Account).join(ChildProfile, ChildProfile.account_id == Account.id)
        .where(Account.kind == AccountKind.child).order_by(Account.id)))
    inactive, grown_up = [], []
    for child in children:
        if child.id in pending:
            continue
        if now.date() >= _grown_up_since(child.child_profile.birth_year) + retention:
            grown_up.append(child)
        elif (child.last_login_at or child.created_at) <= now - retention:
            inactive.append(child)
    counts["inactive"], counts["grown_up"] = len(inactive), len(grown_up)

    if not dry_run:
        for request in due:
            carry_out(request, None)
        for child, why in [(c, "inactive") for c in inactive] + [(c, "grown_up") for c in grown_up]:
            request = DataRequest(child=child, council=child.child_profile.home_council, kind=RequestKind.deletion,
                                  channel=RequestChannel.platform, automatic=True, note=why, due_at=now)
            db.session.add(request)
            record("data_request_received", request, council=request.council, to_state=request.status,
                   kind=RequestKind.deletion.value, channel=RequestChannel.platform.value, child_id=child.id,
                   automatic=True, rule=why)
            carry_out(request, None)
        db.session.flush()

    referenced = referenced_file_ids()
    unreferenced = list(db.session.scalars(select(StoredFile).where(
        StoredFile.created_at <= now - FILE_GRACE, StoredFile.id.not_in(referenced) if referenced else true())))
    counts["files"] = len(unreferenced)
    if not dry_run:
        for stored in unreferenced:
            _remove_after_commit(stored)
            db.session.delete(stored)
        db.session.flush()
    known = set(db.session.scalars(select(StoredFile.key)))
    folder = storage.upload_folder()
    for path in folder.iterdir():
        stray = path.is_file() and path.name.split(".")[0] not in known
        if stray and datetime.fromtimestamp(path.stat().st_mtime, now.tzinfo) <= now - FILE_GRACE:
            counts["stray_files"] += 1
            if not dry_run:
                db.session.info.setdefault("privacy_remove_files", []).append(path)
    return counts

