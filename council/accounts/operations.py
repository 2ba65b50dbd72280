"""Accounts, memberships and consent: every rule about who may do what."""

from __future__ import annotations

import collections
import secrets
from datetime import date
from functools import cache
from typing import NamedTuple

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy import inspect as inspect_record
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from council.accounts import sessions
from council.accounts.models import (
    ADULT_ROLES,
    CHILD_ROLES,
    Account,
    AccountKind,
    ChildProfile,
    ConsentDecision,
    ConsentMethod,
    GuardianConsent,
    Membership,
    MembershipRole,
    SystemRole,
)
from council.audit.operations import record, record_each
from council.calendar import clock
from council.claims import AlreadyChanged, hold
from council.councils.models import Council
from council.errors import DomainError, require
from council.extensions import db
from council.units.models import Unit, UnitStaff

# Checked even when the username does not exist, so timing does not reveal which accounts exist.


@cache
def _dummy_hash(method: str) -> str:
    """A hash made the way real ones are, for names that match no account: checking it costs what checking a real
    password costs, so the answer's time does not tell whether an account exists."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


class ConsentRequired(DomainError):
    status = 403


# Stored instead of a hash for an adult who has no password yet (an import, the setup command, a unit's API
# account): no password opens it, and checking one costs nothing to compute. It gets one through a one-time link.
NO_PASSWORD = "!no-password"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_account(username: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.username) == normalise_username(username)))


def authenticate(username: str, password: str) -> Account | None:
    """The account these credentials open, or None. Wrong name and wrong password look alike."""
    account = find_account(username)
    if account is None or account.password_hash == NO_PASSWORD:
        # an account without a password yet answers in the time a real check takes, as a name that is not there
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(account.password_hash, password):
        record("sign_in_failed", account, council=None)
        return None
    return account


def signed_in(account: Account) -> None:
    account.last_login_at = clock.now()
    record("signed_in", account, actor=account)


def signed_out(account: Account, *, everywhere: bool = False) -> None:
    """This device's session ends; with ``everywhere``, every session of the account."""
    if everywhere:
        sessions.end_all_sessions(account, sessions.EVERYWHERE)
    else:
        sessions.end_session(account)
    record("signed_out", account, actor=account, **({"everywhere": True} if everywhere else {}))


def _unique_username(username: str) -> str:
    [username] = _unique_usernames([username])
    return username


def _unique_usernames(usernames: list[str]) -> list[str]:
    """The usernames as kept (lower case, trimmed), each free and none twice; one statement for all of them."""
    names = [normalise_username(username) for username in usernames]
    for name in names:
        require(bool(name), _("A username is required."), DomainError)
    taken = set(db.session.scalars(select(func.lower(Account.username)).where(func.lower(Account.username).in_(names))))
    for name, _count in collections.Counter(names).items():
        require(name not in taken and _count == 1, _("The username %(name)s is already taken.", name=name),
                DomainError)
    return names


class NewAdult(NamedTuple):
    username: str
    password: str | None  # None: no password yet (NO_PASSWORD); it is set through a one-time link
    display_name: str
    email: str | None = None
    phone: str | None = None
    system_role: SystemRole | None = None


def create_adult(
    username: str,
    password: str | None,
    display_name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    system_role: SystemRole | None = None,
    actor: Account | None = None,
) -> Account:
    [account] = create_adults([NewAdult(username, password, display_name, email, phone, system_role)], actor=actor)
    return account


def create_adults(people: list[NewAdult], *, actor: Account | None = None) -> list[Account]:
    """Adults' accounts, in the order given (a district's import creates hundreds: one statement checks every
    username, one flush gives every account its id)."""
    from council.accounts.passwords import check_password

    for person in people:
        if person.password is not None:
            check_password(person.password, username=person.username)  # adults only: children sign in with pictures
    usernames = _unique_usernames([person.username for person in people])
    accounts = [Account(
        username=username,
        password_hash=NO_PASSWORD if person.password is None else hash_password(person.password),
        display_name=person.display_name,
        kind=AccountKind.adult,
        system_role=person.system_role,
        email=person.email,
        phone=person.phone,
        memberships=[],  # a new account holds no term yet: nothing to read back for the first one it is given
        unit_roles=[],
    ) for person, username in zip(people, usernames, strict=True)]
    db.session.add_all(accounts)
    db.session.flush()
    for account in accounts:
        record("account_created", account, actor=actor, to_state=account.kind)
    return accounts


def create_child(
    username: str,
    password: str,
    nickname: str,
    *,
    real_name: str,
    birth_year: int,
    home_council: Council,
    school: str | None = None,
    class_name: str | None = None,
    actor: Account | None = None,
) -> Account:
    this_year = clock.today().year
    require(
        this_year - 18 <= birth_year <= this_year - 5,
        _("A child on the platform is between 6 and 17 years old."),
        DomainError,
    )
    account = Account(
        username=_unique_username(username),
        password_hash=hash_password(password),
        display_name=nickname.strip(),
        kind=AccountKind.child,
    )
    account.child_profile = ChildProfile(
        real_name=real_name,
        birth_year=birth_year,
        school=school,
        class_name=class_name,
        home_council=home_council,
    )
    db.session.add(account)
    record("account_created", account, actor=actor, council=home_council, to_state=account.kind)
    return account


def may_be_under_consent_age(account: Account, today: date | None = None) -> bool:
    """Only the birth year is kept, so a child counts as under 14 until they are 14 on any birthday."""
    if not account.is_child or account.child_profile is None:
        return False
    today = today or clock.today()
    youngest_possible_age = today.year - account.child_profile.birth_year - 1
    return youngest_possible_age < current_app.config["CONSENT_AGE"]


def has_consent(account: Account) -> bool:
    consent = account.child_profile.latest_consent if account.child_profile else None
    return consent is not None and consent.decision is ConsentDecision.granted


def can_act(account: Account) -> bool:
    """Adults always; a child under 14 only once a guardian's consent is recorded."""
    if not account.is_authenticated or not account.is_active:
        return False
    return not may_be_under_consent_age(account) or has_consent(account)


def ensure_can_act(account: Account) -> None:
    """Every operation a child performs calls this first (DESIGN §7.1)."""
    require(
        can_act(account),
        _("Your guardian has not said yes yet. Ask your teacher to help you and your guardian."),
        ConsentRequired,
    )


def record_consent(
    child: Account,
    *,
    guardian_name: str,
    relation: str,
    method: ConsentMethod,
    decision: ConsentDecision,
    actor: Account,
    replaces: int | None = None,
) -> GuardianConsent:
    """A guardian's answer, added to the child's record. ``replaces`` is the answer on record when the teacher's
    page was shown (its id, 0 for none): the child's row is held first (council/claims.py), and if another answer
    was recorded since (a second tap, another teacher) this one is refused and nothing changes. None skips that
    check (the guardian's own online answer claims its invitation instead)."""
    require(child.is_child, _("Consent is recorded for children only."), DomainError)
    require(actor.can_see_child_private_data(child), _("You may only record consent for your own children."))
    require(bool(guardian_name.strip()), _("Write the guardian's name."), DomainError)
    hold(child)
    db.session.expire(child.child_profile, ["consents"])
    previous = child.child_profile.latest_consent
    if replaces is not None and replaces != (previous.id if previous else 0):
        raise AlreadyChanged()
    consent = GuardianConsent(
        child_id=child.id,
        guardian_name=guardian_name.strip(),
        relation=relation.strip(),
        method=method,
        decision=decision,
        policy_version=current_app.config["CONSENT_POLICY_VERSION"],
        recorded_by_id=actor.id,
    )
    child.child_profile.consents.append(consent)
    db.session.add(consent)
    if decision is not ConsentDecision.granted:
        child.active = False  # refusal or withdrawal: the account stops; deletion follows
        sessions.end_all_sessions(child, sessions.SWITCHED_OFF)
    elif not child.active:
        child.active = True
    record(
        "consent_recorded",
        child,
        actor=actor,
        council=child.child_profile.home_council,
        from_state=previous.decision if previous else None,
        to_state=decision,
        method=method.value,
        policy_version=consent.policy_version,
    )
    from council.privacy.operations import consent_changed

    consent_changed(child, consent, actor)  # refusal or withdrawal opens a deletion; consent again cancels it
    return consent


def add_membership(
    account: Account,
    council: Council,
    role: MembershipRole,
    *,
    starts_on: date,
    ends_on: date | None = None,
    actor: Account | None = None,
) -> Membership:
    [membership] = add_memberships([NewTerm(account, council, role, starts_on, ends_on)], actor=actor)
    return membership


class NewTerm(NamedTuple):
    account: Account
    council: Council
    role: MembershipRole
    starts_on: date
    ends_on: date | None = None


def add_memberships(terms: list[NewTerm], *, actor: Account | None = None) -> list[Membership]:
    """Council terms, in the order given; each is checked against the terms its holder has (and the ones before it
    here). Many at once read the holders' terms with one statement and flush once (a district's import)."""
    _read_terms([term.account for term in terms])
    made = []
    for account, council, role, starts_on, ends_on in terms:
        if role in CHILD_ROLES:
            require(account.is_child, _("Only children can be council members."), DomainError)
        if role in ADULT_ROLES:
            require(not account.is_child, _("Only adults can be facilitators or teachers."), DomainError)
        require(ends_on is None or ends_on >= starts_on, _("A term cannot end before it starts."), DomainError)
        if actor is not None:
            require(actor.can_facilitate(council), _("Only this council's facilitator can change its members."))
            if account.is_child:
                require(
                    account in children_of_area(council),
                    _("%(nickname)s is not registered in this council's area, so they cannot join this council.",
                      nickname=account.display_name),
                    DomainError,
                )
        require(
            not _overlapping_terms(account, council, role, starts_on, ends_on),
            _("%(nickname)s already holds the role “%(role)s” in this council for some of these dates. "
              "End that term first, or choose dates after it.", nickname=account.display_name, role=role.label),
            DomainError,
        )
        membership = Membership(account=account, council=council, role=role, starts_on=starts_on, ends_on=ends_on)
        db.session.add(membership)
        made.append(membership)
    db.session.flush()
    for membership in made:
        record("membership_added", membership, actor=actor, council=membership.council, to_state=membership.role,
               account_id=membership.account.id, starts_on=membership.starts_on.isoformat(),
               ends_on=membership.ends_on.isoformat() if membership.ends_on else None)
    return made


def _read_terms(accounts: list[Account]) -> None:
    """Load the council terms of those ``accounts`` that have not read theirs yet, with one statement."""
    unread = {account.id for account in accounts if account.id is not None
              and "memberships" in inspect_record(account).unloaded}
    if len(unread) > 1:
        db.session.scalars(select(Account).where(Account.id.in_(unread))
                           .options(selectinload(Account.memberships))).all()


def _overlapping_terms(
    account: Account, council: Council, role: MembershipRole, starts_on: date, ends_on: date | None
) -> list[Membership]:
    """Terms of the same role in the same council that share at least one day with the new one."""
    return [
        m for m in account.memberships
        if m.council is council and m.role is role
        and (ends_on is None or m.starts_on <= ends_on)
        and (m.ends_on is None or starts_on <= m.ends_on)
    ]


def end_membership(membership: Membership, actor: Account, *, on: date) -> None:
    """Ending a term keeps it: the row stays as history and stops counting after ``on``."""
    council = membership.council
    require(actor.can_facilitate(council), _("Only this council's facilitator can change its members."))
    require(
        membership.ends_on is None or membership.ends_on >= on,
        _("This term already ended on %(day)s.", day=format_date(membership.ends_on)),
        DomainError,
    )
    require(
        on >= membership.starts_on,
        _("A term cannot end before it starts. This one starts on %(day)s.", day=format_date(membership.starts_on)),
        DomainError,
    )
    membership.ends_on = on
    record("membership_ended", membership, actor=actor, council=council, from_state=membership.role,
           account_id=membership.account_id, ends_on=on.isoformat())


def children_of_area(council: Council, *, ids: list[int] | None = None) -> list[Account]:
    """The active children whose home council is this council or one below it: who may become its members
    (``ids``: those of them with these ids)."""
    query = _of_area(council)
    if ids is not None:
        query = query.where(Account.id.in_(ids))
    return list(db.session.scalars(query.order_by(Account.display_name, Account.id)))


def find_children_of_area(council: Council, words: str = "") -> tuple[list[Account], int]:
    """The first ``ACCOUNTS_SHOWN`` children of the area whose nickname or class holds ``words`` (never the real
    name: a facilitator choosing members does not see it), and how many match."""
    return search_accounts(_of_area(council), words, Account.display_name, ChildProfile.class_name,
                           order_by=(Account.display_name, Account.id))


def _of_area(council: Council):
    return _children_with_profiles().where(Account.kind == AccountKind.child, Account.active.is_(True),
                                           Council.path.startswith(council.path))


def _children_with_profiles():
    """Children's accounts read with their private details and home council in the same statement (a page that
    lists 500 children reads them once, not once per child)."""
    return (select(Account).join(ChildProfile, ChildProfile.account_id == Account.id)
            .join(Council, Council.id == ChildProfile.home_council_id)
            .options(contains_eager(Account.child_profile).contains_eager(ChildProfile.home_council)))


def membership_history(council: Council) -> list[Membership]:
    """Every child's term in this council, past, current and future, newest first."""
    return list(db.session.scalars(
        select(Membership)
        .where(Membership.council_id == council.id, Membership.role.in_(CHILD_ROLES))
        .order_by(Membership.starts_on.desc(), Membership.id.desc())
    ))


def add_unit_staff(account: Account, unit: Unit, *, starts_on: date, actor: Account | None = None) -> UnitStaff:
    [staff] = add_unit_staffs([(account, unit, starts_on)], actor=actor)
    return staff


def add_unit_staffs(posts: list[tuple[Account, Unit, date]], *, actor: Account | None = None) -> list[UnitStaff]:
    """Posts at units (account, unit, first day), in the order given, with one flush for all of them."""
    made = []
    for account, unit, starts_on in posts:
        require(not account.is_child, _("Only adults can work for a unit."), DomainError)
        require(unit.routable, _("Tasks go to single departments or offices, not to groups."), DomainError)
        staff = UnitStaff(account=account, unit=unit, starts_on=starts_on)
        db.session.add(staff)
        made.append(staff)
    db.session.flush()
    for staff in made:
        record("unit_staff_added", staff, actor=actor, account_id=staff.account.id, unit_id=staff.unit.id)
    return made


def children_in_reach(actor: Account, *, with_consents: bool = False, ids: list[int] | None = None,
                      within: Council | None = None) -> list[Account]:
    """The children whose private details this adult may see: those of councils they teach or facilitate (``ids``:
    those of them with these ids; ``within``: those whose home council is that council or one below it). Each comes
    with its profile and home council (and, ``with_consents``, the guardians' answers) in the same reading."""
    query = _in_reach(actor, within)
    if query is None:
        return []
    if ids is not None:
        query = query.where(Account.id.in_(ids))
    if with_consents:
        query = query.options(contains_eager(Account.child_profile).selectinload(ChildProfile.consents))
    return list(db.session.scalars(query.order_by(Council.path, Account.display_name)))


def find_children_in_reach(actor: Account, words: str = "", *, within: Council | None = None
                           ) -> tuple[list[Account], int]:
    """The children in reach (``children_in_reach``, ``within`` a council's area) whose nickname, real name or class
    holds ``words``: the first ``ACCOUNTS_SHOWN`` of them, with the guardians' answers, and how many there are (a
    street's facilitator reaches thousands)."""
    query = _in_reach(actor, within)
    if query is None:
        return [], 0
    return search_accounts(query, words, Account.display_name, ChildProfile.real_name, ChildProfile.class_name,
                           order_by=(Council.path, Account.display_name, Account.id),
                           options=[contains_eager(Account.child_profile).selectinload(ChildProfile.consents)])


def has_children_in_reach(actor: Account, within: Council | None = None) -> bool:
    """Whether ``children_in_reach(actor, within=within)`` has anyone, asked without reading them."""
    query = _in_reach(actor, within)
    return query is not None and db.session.scalar(query.with_only_columns(Account.id).limit(1)) is not None


def _in_reach(actor: Account, within: Council | None = None):
    """``select`` of the children in reach (``within`` a council's area), with their profiles (None: no council to
    teach in)."""
    query = _children_with_profiles()
    if within is not None:
        query = query.where(Council.path.startswith(within.path))
    if actor.is_admin:
        return query
    held = actor.councils_as(MembershipRole.teacher, MembershipRole.facilitator)
    if not held:
        return None
    return query.where(or_(*(Council.path.startswith(c.path) for c in held)))


# A list of accounts shows this many at most, with how many there are; a search finds the others (a district's
# accounts run to tens of thousands of children).
ACCOUNTS_SHOWN = 100


def search_accounts(query, words: str, *columns, order_by, options=()) -> tuple[list[Account], int]:
    """The first ``ACCOUNTS_SHOWN`` accounts of ``query`` (a ``select(Account)``) in ``order_by`` whose ``columns``
    hold ``words`` in any case (a ``%`` or ``_`` typed is that character), and how many accounts match."""
    words = (words or "").strip().lower()
    if words:
        query = query.where(or_(*(func.lower(column).contains(words, autoescape=True) for column in columns)))
    total = db.session.scalar(query.with_only_columns(func.count(Account.id)).order_by(None))
    shown = db.session.scalars(query.options(*options).order_by(*order_by).limit(ACCOUNTS_SHOWN))
    return list(shown.unique()), total


def coordinators() -> list[Account]:
    """The coordinating office's active staff: they hear about returned tasks, reopened ideas, digests."""
    return list(db.session.scalars(select(Account).where(
        Account.system_role == SystemRole.coordinator, Account.active.is_(True)).order_by(Account.id)))


def _facilitating(today):
    """Conditions on Membership and Account: an active account facilitating today."""
    return (Membership.role == MembershipRole.facilitator, Membership.starts_on <= today,
            or_(Membership.ends_on.is_(None), Membership.ends_on >= today), Account.active.is_(True))


def facilitators_of(council: Council) -> list[Account]:
    return list(db.session.scalars(
        select(Account).join(Membership, Membership.account_id == Account.id)
        .where(Membership.council_id == council.id, *_facilitating(clock.today())).order_by(Account.id)))


def nearest_facilitators(council: Council) -> list[Account]:
    """The facilitators of ``council``, or, where it has none today, of the nearest council above that has: one
    statement, whatever the depth (a council's ``path`` names every council above it)."""
    parts = council.path.strip("/").split("/")
    paths = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
    found = db.session.execute(
        select(Account, Council.path).join(Membership, Membership.account_id == Account.id)
        .join(Council, Council.id == Membership.council_id)
        .where(Council.path.in_(paths), *_facilitating(clock.today()))
        .order_by(func.length(Council.path).desc(), Account.id)).all()
    nearest = found[0][1] if found else None
    return [account for account, path in found if path == nearest]


def viewed_child_data(actor: Account, children: list[Account], *, view: str) -> None:
    """Staff views of a child's private data are written to the audit log (DESIGN §7.5)."""
    record_each("child_data_viewed", children, actor=actor, council_of=lambda child: child.child_profile.home_council,
                view=view)


def landing_endpoint(account: Account) -> str:
    """Each role lands on its own page; an account holding several lands on the most responsible."""
    if account.is_admin:
        return "dashboards.admin"
    if account.is_coordinator:
        return "dashboards.coordinator"
    if account.current_units():
        return "dashboards.desk"
    if account.councils_as(MembershipRole.facilitator):
        return "dashboards.facilitator"
    if account.councils_as(MembershipRole.teacher):
        return "dashboards.teacher"
    return "dashboards.me"
