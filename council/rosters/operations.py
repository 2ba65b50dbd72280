"""Classes, roster imports, picture sign-in with its lockouts, and guardians' online consent: every rule here.

Picture codes and consent codes are kept so that the database alone reveals neither: a picture code is sealed
with a pad derived from the server's SECRET_KEY and checked by an HMAC under it (``_seal``); a consent code is
derived from SECRET_KEY and a random nonce and found by its SHA-256. Cards can therefore be printed again at any
time; a new SECRET_KEY opens them while the old one is in SECRET_KEY_FALLBACKS, and if no key opens a card any
more, the cards page notices and offers a new code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash

from council.accounts import operations as accounts
from council.accounts import sessions
from council.accounts.models import Account, ChildProfile, ConsentDecision, ConsentMethod, MembershipRole
from council.audit.operations import record, record_each
from council.calendar import clock
from council.claims import AlreadyChanged, hold
from council.councils.models import Council
from council.councils.operations import subtree
from council.errors import DomainError, require
from council.extensions import db
from council.rosters import importing, pictures
from council.rosters.models import ChildSignIn, ClassGroup, ConsentInvitation, RosterImport

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a child copies the code from a card.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"
CLASS_CODE_LENGTH = 6
PICTURE_CODE_LENGTH = 3
CONSENT_CODE_LENGTH = 12
CHILD_FAILURE_LIMIT = 5
CLASS_FAILURE_LIMIT = 20
CLASS_FAILURE_WINDOW = timedelta(hours=1)
CLASS_LOCK = timedelta(minutes=15)
INVITATION_DAYS = 30


class SignInRefused(DomainError):
    status = 400


class AlreadyImported(DomainError):
    pass


# --- classes ------------------------------------------------------------------------------------------

def can_manage(actor: Account, group: ClassGroup) -> bool:
    return actor.is_authenticated and (actor.is_admin or actor.can_teach_in(group.council))


def councils_for_classes(actor: Account) -> list[Council]:
    """Where this adult may keep a class: the councils they teach or facilitate in, and those below."""
    if actor.is_coordinator:
        return list(db.session.scalars(select(Council).order_by(Council.path)))
    held = actor.councils_as(MembershipRole.teacher, MembershipRole.facilitator)
    found = {c.id: c for council in held for c in subtree(council)}
    return sorted(found.values(), key=lambda c: c.path)


def classes_for(actor: Account) -> list[ClassGroup]:
    query = select(ClassGroup).join(Council, Council.id == ClassGroup.council_id)
    if not actor.is_coordinator:
        held = actor.councils_as(MembershipRole.teacher, MembershipRole.facilitator)
        if not held:
            return []
        query = query.where(or_(*(Council.path.startswith(c.path) for c in held)))
    return list(db.session.scalars(query.order_by(Council.path, ClassGroup.name, ClassGroup.id)))


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def find_class(code: str) -> ClassGroup | None:
    return db.session.scalar(select(ClassGroup).where(ClassGroup.code == normalise_code(code)))


def create_class(actor: Account, council: Council, name: str, *, school: str | None = None) -> ClassGroup:
    require(actor.is_admin or actor.can_teach_in(council), _("You can only keep classes in your own councils."))
    name = (name or "").strip()
    require(bool(name), _("Write the name of the class, for example 三年级二班."), DomainError)
    require(len(name) <= 64, _("The class name may have at most 64 characters."), DomainError)
    code = _random_code(CLASS_CODE_LENGTH)
    while find_class(code) is not None:
        code = _random_code(CLASS_CODE_LENGTH)
    group = ClassGroup(council=council, school=(school or "").strip()[:120] or council.name, name=name,
                       teacher=actor, code=code)
    db.session.add(group)
    record("class_created", group, actor=actor, council=council, name=name)
    return group


def children_of(group: ClassGroup, *, with_details: bool = False) -> list[ChildSignIn]:
    """The class's sign-ins with their children's accounts, by nickname; ``with_details``, each child's private
    details and guardians' answers too (the teacher's pages), read for the whole class at once."""
    query = (select(ChildSignIn).join(ChildSignIn.account).where(ChildSignIn.class_id == group.id)
             .options(contains_eager(ChildSignIn.account)))
    if with_details:
        profile = contains_eager(ChildSignIn.account).joinedload(Account.child_profile)
        query = query.options(profile.joinedload(ChildProfile.home_council),
                              profile.selectinload(ChildProfile.consents))
    return sorted(db.session.scalars(query), key=lambda s: (s.account.display_name, s.id))


# --- picture codes --------------------------------------------------------------------------------------

def _derived(purpose: str, nonce: str, key: bytes | None = None) -> bytes:
    key = key if key is not None else current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()


def _keys() -> list[bytes]:
    """SECRET_KEY, then the keys it replaced (``SECRET_KEY_FALLBACKS``, as Flask reads sessions with them)."""
    return [key.encode() if isinstance(key, str) else key for key in
            (current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ()))]


def _code_text(code: list[int]) -> str:
    return "-".join(str(i) for i in code)


def new_picture_code() -> list[int]:
    return secrets.SystemRandom().sample(range(pictures.COUNT), PICTURE_CODE_LENGTH)


def _set_code(sign_in: ChildSignIn, code: list[int]) -> None:
    require(len(code) == PICTURE_CODE_LENGTH and all(0 <= i < pictures.COUNT for i in code),
            _("A picture code is three of the nine pictures."), DomainError)
    sign_in.code_salt = secrets.token_hex(16)
    _seal(sign_in, code)
    sign_in.code_issued_at = clock.now()
    if sign_in.id is not None:  # a new code for a child who had one: whoever signed in with the old one is out
        sessions.end_all_sessions(sign_in.account_id, sessions.PICTURE_CODE)


def _seal(sign_in: ChildSignIn, code: list[int]) -> None:
    """Keep ``code`` under SECRET_KEY: sealed with a pad derived from the key and the code's salt (for printing the
    card again), and checked by an HMAC under a key derived the same way (``code_check``).

    A picture code is one of 9 × 8 × 7 = 504, so any hash of it that needs no key falls to 504 guesses: the
    password hash these codes had until migration 0024 gave a reader of the database every child's code in about a
    minute each, while costing 0.12 s at every sign-in, print and import (6 s for a class of 45). Under the key, the
    database alone tells nothing; ``code_hash`` is left empty. A new SECRET_KEY that names the old one in
    ``SECRET_KEY_FALLBACKS`` still opens every card, and seals each again under the new key the next time it is
    used."""
    pad = _derived("picture-code", sign_in.code_salt)
    sign_in.code_sealed = "".join(str((i + pad[n]) % pictures.COUNT) for n, i in enumerate(code))
    sign_in.code_check = _seal_check(sign_in.code_salt, code)
    sign_in.code_hash = ""


def _seal_check(salt: str, code: list[int], key: bytes | None = None) -> str:
    return hmac.new(_derived("picture-code-check", salt, key), _code_text(code).encode(), hashlib.sha256).hexdigest()


def picture_code(sign_in: ChildSignIn) -> list[int] | None:
    """The child's code from its sealed copy (for printing, and to check a sign-in), opened by SECRET_KEY or a key
    it replaced (then sealed again under SECRET_KEY); None when no key opens it any more: the cards page then
    offers a new code. A code kept before migration 0024 has no ``code_check``, only its password hash: it is
    checked by the hash once, and then sealed as new codes are."""
    for n, key in enumerate(_keys()):
        pad = _derived("picture-code", sign_in.code_salt, key)
        code = [(int(ch) - pad[i]) % pictures.COUNT for i, ch in enumerate(sign_in.code_sealed)]
        if sign_in.code_check is not None:
            opened = hmac.compare_digest(sign_in.code_check, _seal_check(sign_in.code_salt, code, key))
        else:
            opened = bool(sign_in.code_hash) and check_password_hash(sign_in.code_hash, _code_text(code))
        if opened:
            if n or sign_in.code_check is None:
                _seal(sign_in, code)
            return code
    return None


def _is_the_code(sign_in: ChildSignIn, code: list[int]) -> bool:
    """Whether ``code`` is the child's. A code kept before migration 0024 whose seal no key opens any more is still
    checked by its password hash, as it always was, and sealed under SECRET_KEY once it is right."""
    kept = picture_code(sign_in)
    if kept is not None:
        return hmac.compare_digest(_code_text(kept), _code_text(code))
    if sign_in.code_hash and check_password_hash(sign_in.code_hash, _code_text(code)):
        _seal(sign_in, code)
        return True
    return False


def issue_picture_code(sign_in: ChildSignIn, actor: Account, code: list[int] | None = None) -> list[int]:
    """A new code for one child (the old card stops working); it also unlocks the child's picture sign-in."""
    require(can_manage(actor, sign_in.class_group), _("Only the class's teacher can do that."))
    code = code or new_picture_code()
    _set_code(sign_in, code)
    sign_in.failed_count = 0
    sign_in.locked_at = None
    record("picture_code_issued", sign_in.account, actor=actor, council=sign_in.class_group.council,
           class_id=sign_in.class_id)
    return code


def enrol(group: ClassGroup, child: Account, *, code: list[int] | None = None) -> ChildSignIn:
    """Give a child of this class a tile and a picture code."""
    taken = [s.avatar for s in group.sign_ins]
    avatar = min(range(pictures.COUNT), key=lambda p: (taken.count(p), p))
    sign_in = ChildSignIn(account=child, class_group=group, avatar=avatar)
    _set_code(sign_in, code or new_picture_code())
    group.sign_ins.append(sign_in)
    db.session.add(sign_in)
    return sign_in


# --- roster import --------------------------------------------------------------------------------------

def _existing(group: ClassGroup) -> list[tuple[str, int, str]]:
    return [(s.account.child_profile.real_name, s.account.child_profile.birth_year, s.account.display_name)
            for s in group.sign_ins if s.account.child_profile is not None]


def preview_import(group: ClassGroup, actor: Account, filename: str, data: bytes) -> RosterImport:
    """Read and check the file; nothing is created until the teacher says yes on the preview."""
    require(can_manage(actor, group), _("Only the class's teacher can do that."))
    rows = importing.parse_roster(filename, data, existing=_existing(group))
    pending = RosterImport(token=secrets.token_urlsafe(32), class_group=group, uploaded_by_id=actor.id,
                           filename=(filename or "")[:200], rows=rows)
    db.session.add(pending)
    return pending


def find_import(group: ClassGroup, token: str) -> RosterImport | None:
    return db.session.scalar(select(RosterImport).where(RosterImport.token == token,
                                                        RosterImport.class_id == group.id))


def _child_username(group: ClassGroup) -> str:
    while True:
        username = f"{group.code.lower()}-{secrets.randbelow(10_000):04d}"
        if accounts.find_account(username) is None:
            return username


def run_import(pending: RosterImport, actor: Account) -> list[Account]:
    """Every child of the preview, or none. A second press of the button creates nothing."""
    group = pending.class_group
    require(can_manage(actor, group), _("Only the class's teacher can do that."))
    require(pending.imported_at is None, _("This list was imported already; nothing was added twice."),
            AlreadyImported)
    require(not pending.has_problems,
            _("Some rows have problems. Correct them in your file and upload it again; nothing was added."),
            DomainError)
    known = {(name, year) for name, year, _n in _existing(group)}
    require(not any((r["real_name"], r["birth_year"]) in known for r in pending.rows),
            _("Some of these children were added to the class since the preview. Upload the file again."),
            DomainError)
    now = clock.now()
    db.session.flush()
    claimed = db.session.execute(update(RosterImport).where(RosterImport.id == pending.id,
                                                            RosterImport.imported_at.is_(None))
                                 .values(imported_at=now).execution_options(synchronize_session=False))
    require(claimed.rowcount == 1, _("This list was imported already; nothing was added twice."), AlreadyImported)
    created = []
    with db.session.begin_nested():  # all or nothing: any refusal undoes every child of this file
        for row in pending.rows:
            child = accounts.create_child(
                _child_username(group), secrets.token_urlsafe(24), row["nickname"], real_name=row["real_name"],
                birth_year=row["birth_year"], home_council=group.council, school=group.school,
                class_name=group.name, actor=actor)
            db.session.flush()
            enrol(group, child)
            created.append(child)
    db.session.refresh(pending)
    record("roster_imported", group, actor=actor, council=group.council, count=len(created),
           filename=pending.filename)
    return created


# --- picture sign-in ------------------------------------------------------------------------------------

def class_locked(group: ClassGroup, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return group.locked_until is not None and now < group.locked_until


def sign_in_with_pictures(group: ClassGroup, sign_in: ChildSignIn, code: list[int],
                          now: datetime | None = None) -> Account:
    """The child's account if the pictures are right. Wrong pictures count against the child and the class."""
    now = now or clock.now()
    require(sign_in.class_id == group.id, _("Choose your own picture on your class's page."), SignInRefused)
    require(not class_locked(group, now),
            _("Signing in is paused for this class for a few minutes, because many wrong pictures were tapped. "
              "Ask your teacher for help."), SignInRefused)
    require(sign_in.locked_at is None,
            _("Your picture sign-in is locked after too many tries. Ask your teacher to unlock it."),
            SignInRefused)
    valid = len(code) == PICTURE_CODE_LENGTH and all(0 <= i < pictures.COUNT for i in code)
    if valid and _is_the_code(sign_in, code):
        sign_in.failed_count = 0
        return sign_in.account
    _count_failure(group, sign_in, now)
    left = CHILD_FAILURE_LIMIT - sign_in.failed_count
    if sign_in.locked_at is not None:
        raise SignInRefused(_("Those pictures are not right, and that was the last try. Your picture sign-in is "
                              "locked now. Ask your teacher to unlock it."))
    raise SignInRefused(ngettext("Those pictures are not right. Look at your card and try again. You have "
                                 "%(num)d more try.",
                                 "Those pictures are not right. Look at your card and try again. You have "
                                 "%(num)d more tries.", left))


def _count_failure(group: ClassGroup, sign_in: ChildSignIn, now: datetime) -> None:
    # Counted in the database, so parallel guesses cannot slip past the limits.
    db.session.flush()
    db.session.execute(update(ChildSignIn).where(ChildSignIn.id == sign_in.id)
                       .values(failed_count=ChildSignIn.failed_count + 1)
                       .execution_options(synchronize_session=False))
    stale = or_(ClassGroup.failures_since.is_(None), ClassGroup.failures_since <= now - CLASS_FAILURE_WINDOW)
    db.session.execute(update(ClassGroup).where(ClassGroup.id == group.id).values(
        failures=case((stale, 1), else_=ClassGroup.failures + 1),
        failures_since=case((stale, now), else_=ClassGroup.failures_since),
    ).execution_options(synchronize_session=False))
    db.session.refresh(sign_in)
    db.session.refresh(group)
    record("picture_sign_in_failed", sign_in.account, council=group.council, class_id=group.id)
    if sign_in.failed_count >= CHILD_FAILURE_LIMIT and sign_in.locked_at is None:
        sign_in.locked_at = now
        record("picture_sign_in_locked", sign_in.account, council=group.council, class_id=group.id)
    if group.failures >= CLASS_FAILURE_LIMIT:
        group.locked_until = now + CLASS_LOCK
        group.failures, group.failures_since = 0, None
        record("class_sign_in_locked", group, council=group.council, until=group.locked_until.isoformat())


def reset_child(sign_in: ChildSignIn, actor: Account) -> None:
    require(can_manage(actor, sign_in.class_group), _("Only the class's teacher can do that."))
    sign_in.failed_count = 0
    sign_in.locked_at = None
    record("picture_sign_in_reset", sign_in.account, actor=actor, council=sign_in.class_group.council,
           class_id=sign_in.class_id)


def reset_class(group: ClassGroup, actor: Account) -> None:
    require(can_manage(actor, group), _("Only the class's teacher can do that."))
    group.locked_until = None
    group.failures, group.failures_since = 0, None
    record("class_sign_in_reset", group, actor=actor, council=group.council)


# --- guardians' online consent -----------------------------------------------------------------------

def _consent_code(nonce: str) -> str:
    digest = _derived("consent", nonce)
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CONSENT_CODE_LENGTH])


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def pretty_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def needs_consent(child: Account) -> bool:
    return accounts.may_be_under_consent_age(child) and not accounts.has_consent(child)


def issue_invitation(child: Account, actor: Account, now: datetime | None = None, *,
                     shown_at: datetime | None = None) -> ConsentInvitation:
    """A new one-time consent link for this child's guardian; any earlier open link stops working. The child's
    row is held first (council/claims.py); with ``shown_at``, when the teacher's page was shown, a link made since
    then (a second tap, another teacher) refuses this one: that link is the new one."""
    return issue_invitations([child], actor, now, shown_at=shown_at)[child.id]


def issue_invitations(children: list[Account], actor: Account, now: datetime | None = None, *,
                      shown_at: datetime | None = None, keep_open: bool = False) -> dict[int, ConsentInvitation]:
    """``issue_invitation`` for each child, by account id, with a few statements for a whole class: their rows are
    held together, their open links read and closed together, the new ones and their events written together.
    ``keep_open``: a child whose open link another request made meanwhile keeps it (two prints of the cards at the
    same moment make one slip: the second finds the first one's link)."""
    for child in children:
        require(child.is_child, _("Consent is recorded for children only."), DomainError)
        require(actor.can_see_child_private_data(child), _("You may only ask for consent for your own children."))
    now = now or clock.now()
    homes = {child.id: child.child_profile.home_council for child in children}  # read before holding expires them
    hold(*children)
    earlier = db.session.scalars(_open_invitations(list(homes), now)).all()
    if shown_at is not None and any(i.created_at >= shown_at for i in earlier):
        raise AlreadyChanged()
    kept = {i.child_id: i for i in earlier if keep_open and invitation_code(i)}  # the newest wins (oldest first)
    for invitation in earlier:
        if kept.get(invitation.child_id) is not invitation:
            invitation.closed_at = now
    new = [child for child in children if child.id not in kept]
    expires_at = now + timedelta(days=current_app.config.get("CONSENT_INVITATION_DAYS", INVITATION_DAYS))
    issued = {}
    for child in new:
        nonce = secrets.token_hex(16)
        issued[child.id] = ConsentInvitation(child=child, nonce=nonce, token_hash=_hash(_consent_code(nonce)),
                                             created_by_id=actor.id, created_at=now, expires_at=expires_at)
    db.session.add_all(issued.values())
    record_each("consent_invitation_issued", new, actor=actor, council_of=lambda child: homes[child.id],
                expires_at=expires_at.isoformat())
    return kept | issued


def open_invitations(child: Account, now: datetime | None = None) -> list[ConsentInvitation]:
    return list(db.session.scalars(_open_invitations([child.id], now or clock.now())))


def _open_invitations(child_ids: list[int], now: datetime):
    """The invitations of these children that still work, oldest first."""
    return select(ConsentInvitation).where(
        ConsentInvitation.child_id.in_(child_ids), ConsentInvitation.used_at.is_(None),
        ConsentInvitation.closed_at.is_(None), ConsentInvitation.expires_at > now).order_by(ConsentInvitation.id)


def invitation_code(invitation: ConsentInvitation) -> str | None:
    """The code printed on the guardian's slip, or None if it cannot be made again (SECRET_KEY changed)."""
    code = _consent_code(invitation.nonce)
    return code if _hash(code) == invitation.token_hash else None


def slip_code(child: Account, actor: Account) -> str | None:
    """The code for a child's guardian slip: the open invitation's, or a new one. None once consent is given."""
    return slip_codes([child], actor)[child.id]


def slip_codes(children: list[Account], actor: Account) -> dict[int, str | None]:
    """``slip_code`` of each child, by account id, for a whole class with a few statements: their open links are
    read together, and those without one get theirs together (``issue_invitations``)."""
    codes: dict[int, str | None] = dict.fromkeys((child.id for child in children), None)
    wanting = [child for child in children if needs_consent(child) and child.is_active]
    codes |= _open_codes(wanting)
    missing = [child for child in wanting if codes[child.id] is None]
    if missing:
        issued = issue_invitations(missing, actor, keep_open=True)
        codes |= {child_id: _consent_code(invitation.nonce) for child_id, invitation in issued.items()}
    return codes


def _open_codes(children: list[Account]) -> dict[int, str | None]:
    """For each child, by account id, the code of their newest open link that can be made again, or None."""
    open_ones: dict[int, list[ConsentInvitation]] = {child.id: [] for child in children}
    if children:
        for invitation in db.session.scalars(_open_invitations(list(open_ones), clock.now())):
            open_ones[invitation.child_id].append(invitation)
    return {child_id: next(filter(None, map(invitation_code, reversed(invitations))), None)
            for child_id, invitations in open_ones.items()}


def find_invitation(code: str) -> ConsentInvitation | None:
    if len(normalise_code(code)) != CONSENT_CODE_LENGTH:
        return None
    return db.session.scalar(select(ConsentInvitation).where(ConsentInvitation.token_hash == _hash(code)))


def invitation_state(invitation: ConsentInvitation | None, now: datetime | None = None) -> str:
    now = now or clock.now()
    if invitation is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used"
    if invitation.closed_at is not None:
        return "replaced"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


def answer_invitation(invitation: ConsentInvitation, *, guardian_name: str, relation: str,
                      decision: ConsentDecision, now: datetime | None = None):
    """The guardian's own answer, recorded as an online consent on the invitation of the teacher who sent it."""
    now = now or clock.now()
    require(invitation_state(invitation, now) == "open",
            _("This consent link cannot be used any more. Ask the teacher for a new slip."), DomainError)
    require(decision in (ConsentDecision.granted, ConsentDecision.refused), _("Choose yes or no."), DomainError)
    require(bool((guardian_name or "").strip()), _("Write your name."), DomainError)
    teacher = db.session.get(Account, invitation.created_by_id) if invitation.created_by_id else None
    require(teacher is not None and teacher.is_active and teacher.can_see_child_private_data(invitation.child),
            _("This link was sent by a teacher who no longer looks after this class. Ask the school for a new "
              "slip."), DomainError)
    db.session.flush()
    claimed = db.session.execute(update(ConsentInvitation).where(ConsentInvitation.id == invitation.id,
                                                                 ConsentInvitation.used_at.is_(None))
                                 .values(used_at=now).execution_options(synchronize_session=False))
    require(claimed.rowcount == 1, _("This consent link was used already."), DomainError)
    db.session.refresh(invitation)
    return accounts.record_consent(invitation.child, guardian_name=guardian_name, relation=relation,
                                   method=ConsentMethod.online, decision=decision, actor=teacher)
