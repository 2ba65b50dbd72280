"""The office sets up its district from spreadsheets: every rule of the setup import lives here.

An upload is read and checked against what the platform holds (one query per kind, whatever the number of rows) and
kept as a ``SetupImport``: each row with its problems and what applying it does — ``create``, ``change`` (with the
fields that differ), ``same`` (already there as the file says) or ``problem``. Applying creates and changes
everything or nothing, once, after checking the rows again against the platform as it is then: a row whose meaning
changed since the preview refuses the whole import. New adults get a one-time set-password link
(council/accounts/welcome.py), mailed to those with an e-mail address; the others' links are printed.

A row, as stored: ``{"line": 2, "values": {...}, "problems": [[code, values], ...], "status": "create",
"changes": [[field, old, new], ...], "ref": {...ids it was matched to...}}``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from council.accounts import operations as accounts
from council.accounts import welcome
from council.accounts.models import Account, MembershipRole, SystemRole
from council.audit.operations import record
from council.calendar import clock
from council.councils.models import Council, CouncilKind, Tier
from council.councils.operations import NewCouncil, create_councils
from council.errors import DomainError, require
from council.extensions import db
from council.setup import importing
from council.setup.importing import AdultRole
from council.setup.models import KINDS, SetupImport
from council.units.models import Unit, UnitKind, unit_group_members
from council.units.operations import add_unit

ROUTABLE = (UnitKind.department.value, UnitKind.office.value)
COUNCIL_SUFFIX = "儿童议事会"
TOWN_SUFFIXES = ("街道办事处", "街道", "镇人民政府", "镇")


class AlreadyApplied(DomainError):
    pass


def can_set_up(actor: Account) -> bool:
    """The district coordinating office (and administrators) set up the district."""
    return actor.is_authenticated and actor.is_coordinator


def _require_office(actor: Account) -> None:
    require(can_set_up(actor), _("Only the district coordinating office can set up the district."))


# --- names as they are compared -----------------------------------------------------------------------

def council_key(name: str | None) -> str:
    """和平社区 and 和平社区儿童议事会 name the same council."""
    found = importing.key(name)
    return found[:-len(COUNCIL_SUFFIX)] if found.endswith(COUNCIL_SUFFIX) and found != COUNCIL_SUFFIX else found


def _town_keys(town: Council) -> set[str]:
    keys = {council_key(town.name), importing.key(town.code)}
    if town.name_en:
        keys.add(importing.key(town.name_en))
    for suffix in TOWN_SUFFIXES:
        short = council_key(town.name)
        if short.endswith(suffix) and len(short) > len(suffix):
            keys.add(short[:-len(suffix)])
    return keys - {""}


# --- what the platform holds, one query per kind ------------------------------------------------------

@dataclass
class World:
    councils: dict[str, Council] = field(default_factory=dict)  # council_key(name) → council
    towns: dict[str, Council] = field(default_factory=dict)  # every way of naming a town or street
    codes: set[str] = field(default_factory=set)
    units: dict[str, Unit] = field(default_factory=dict)  # key(name) → unit
    unit_groups: dict[int, set[int]] = field(default_factory=dict)  # unit id → the groups it is in
    by_phone: dict[str, Account] = field(default_factory=dict)
    by_email: dict[str, Account] = field(default_factory=dict)


def load_world(rows: dict[str, list[dict]]) -> World:
    world = World()
    for council in db.session.scalars(select(Council).order_by(Council.id)):
        world.codes.add(council.code)
        world.councils.setdefault(council_key(council.name), council)
        if council.tier is Tier.town:
            for name in _town_keys(council):
                world.towns.setdefault(name, council)
    for unit in db.session.scalars(select(Unit).order_by(Unit.id)):
        world.units.setdefault(importing.key(unit.name), unit)
    for group_id, member_id in db.session.execute(select(unit_group_members.c.group_id,
                                                         unit_group_members.c.member_id)):
        world.unit_groups.setdefault(member_id, set()).add(group_id)
    adults = rows.get("adults", [])
    phones = sorted({r["values"]["phone"] for r in adults if r["values"].get("phone")})
    emails = sorted({r["values"]["email"] for r in adults if r["values"].get("email")})
    if phones or emails:
        found = db.session.scalars(
            select(Account).where(or_(Account.phone.in_(phones), func.lower(Account.email).in_(emails)))
            .options(selectinload(Account.memberships), selectinload(Account.unit_roles))
            .order_by(Account.id))
        for account in found:
            if account.phone:
                world.by_phone.setdefault(account.phone, account)
            if account.email:
                world.by_email.setdefault(account.email.lower(), account)
    return world


# --- checking the rows --------------------------------------------------------------------------------

def _differs(changes: list, name: str, old, new) -> None:
    """A field the file gives (an empty optional cell leaves the platform's value as it is) that differs."""
    if new not in (None, "") and old != new:
        changes.append([name, old, new])


def _check_councils(rows: list[dict], world: World) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        values, problems, changes, ref = row["values"], row["problems"], [], {}
        name_key = council_key(values["name"])
        if name_key:
            if name_key in seen:
                problems.append(["duplicate", {"line": seen[name_key]}])
            seen.setdefault(name_key, row["line"])
        town = world.towns.get(council_key(values["town"])) if values["town"] else None
        if values["town"] and town is None:
            problems.append(["unknown_town", {"value": values["town"]}])
        if town is not None:
            ref["town_id"] = town.id
        existing = world.councils.get(name_key) if name_key else None
        if existing is not None and existing.tier is not Tier.community:
            problems.append(["other_tier", {"value": values["name"]}])
        elif existing is not None:
            ref["id"] = existing.id
            _differs(changes, "kind", existing.kind.value, values["kind"])
            if town is not None and existing.parent_id != town.id:
                changes.append(["town", existing.parent.name if existing.parent else None, town.name])
            _differs(changes, "area", existing.area, values["area"])
            _differs(changes, "name_en", existing.name_en, values["name_en"])
        _settle(row, existing is not None, changes, ref)


def _check_units(rows: list[dict], world: World) -> None:
    in_file = {importing.key(r["values"]["name"]): r for r in rows if r["values"]["name"]}
    seen: dict[str, int] = {}
    for row in rows:
        values, problems, changes, ref = row["values"], row["problems"], [], {}
        name_key = importing.key(values["name"])
        if name_key:
            if name_key in seen:
                problems.append(["duplicate", {"line": seen[name_key]}])
            seen.setdefault(name_key, row["line"])
        group_ref = None
        if values["group"]:
            group_key = importing.key(values["group"])
            group_ref = _unit_ref(group_key, in_file, world, (UnitKind.group.value,))
            if group_key == name_key:
                problems.append(["own_group", {}])
            elif group_ref is None:
                problems.append(["unknown_group", {"value": values["group"]}])
            else:
                ref |= {"group_" + k: v for k, v in group_ref.items()}
        existing = world.units.get(name_key) if name_key else None
        if existing is not None:
            ref["id"] = existing.id
            _differs(changes, "name_en", existing.name_en, values["name_en"])
            _differs(changes, "kind", existing.kind.value, values["kind"])
            if group_ref and group_ref.get("id") not in world.unit_groups.get(existing.id, set()):
                changes.append(["group", None, values["group"]])
            _differs(changes, "contact", existing.contact, values["contact"])
        _settle(row, existing is not None, changes, ref)


def _unit_ref(name_key: str, in_file: dict, world: World, kinds: tuple[str, ...]) -> dict | None:
    """Where a unit named in a file is: ``{"id": …}`` on the platform (perhaps changed by the file), ``{"line": …}``
    a new one of the units' file; None when it is nowhere, or is not of one of ``kinds``."""
    row = in_file.get(name_key)
    existing = world.units.get(name_key)
    kind = row["values"]["kind"] if row is not None else existing.kind.value if existing is not None else None
    if kind not in kinds:
        return None
    return {"id": existing.id} if existing is not None else {"line": row["line"]}


def _check_adults(rows: list[dict], world: World, councils: list[dict], units: list[dict]) -> None:
    file_councils = {council_key(r["values"]["name"]): r for r in councils if r["values"]["name"]}
    file_units = {importing.key(r["values"]["name"]): r for r in units if r["values"]["name"]}
    seen: dict[str, int] = {}
    for row in rows:
        values, problems, changes, ref = row["values"], row["problems"], [], {}
        for contact in ("phone", "email"):
            if values[contact]:
                if (contact, values[contact]) in seen:
                    problems.append(["duplicate_person", {"line": seen[(contact, values[contact])]}])
                seen.setdefault((contact, values[contact]), row["line"])
        role = values["role"]
        council = unit = None
        if role in (AdultRole.facilitator, AdultRole.teacher) and values["council"]:
            name_key = council_key(values["council"])
            council = world.councils.get(name_key)
            if council is not None:
                ref["council_id"] = council.id
            elif name_key in file_councils:
                ref["council_line"] = file_councils[name_key]["line"]
            else:
                problems.append(["unknown_council", {"value": values["council"]}])
        if role == AdultRole.staff and values["unit"]:
            name_key = importing.key(values["unit"])
            found = _unit_ref(name_key, file_units, world, ROUTABLE)
            if found is None and (name_key in file_units or name_key in world.units):
                problems.append(["not_routable", {"value": values["unit"]}])
            elif found is None:
                problems.append(["unknown_unit", {"value": values["unit"]}])
            else:
                ref |= {"unit_" + k: v for k, v in found.items()}
                unit = db.session.get(Unit, found["id"]) if "id" in found else None
        by_phone = world.by_phone.get(values["phone"]) if values["phone"] else None
        by_email = world.by_email.get(values["email"]) if values["email"] else None
        if by_phone is not None and by_email is not None and by_phone.id != by_email.id:
            problems.append(["two_accounts", {}])
        existing = by_phone or by_email
        if existing is not None and existing.is_child:
            problems.append(["child_account", {}])
        elif existing is not None:
            ref["id"] = existing.id
            _differs(changes, "name", existing.display_name, values["name"])
            _differs(changes, "phone", existing.phone, values["phone"])
            _differs(changes, "email", (existing.email or "").lower() or None, values["email"])
            if role is not None:
                _compare_role(existing, role, council, unit, values, changes, problems)
        _settle(row, existing is not None, changes, ref)


def _compare_role(account: Account, role: str, council: Council | None, unit: Unit | None, values: dict,
                  changes: list, problems: list) -> None:
    """What the file's role is to an adult already on the platform: held already, a term to change, or a new one."""
    if role == AdultRole.office:
        if not account.is_coordinator:
            changes.append(["role", None, role])
        return
    starts = date.fromisoformat(values["starts_on"]) if values["starts_on"] else None
    ends = date.fromisoformat(values["ends_on"]) if values["ends_on"] else None
    if starts is None:
        return
    if role == AdultRole.staff:
        held = [s for s in account.unit_roles if unit is not None and s.unit_id == unit.id]
    else:
        held = [m for m in account.memberships if council is not None and m.council_id == council.id
                and m.role.value == role]
    same_start = [term for term in held if term.starts_on == starts]
    if same_start:
        old = same_start[0].ends_on
        if old != ends:
            changes.append(["ends_on", old.isoformat() if old else None, values["ends_on"]])
    elif any((ends is None or term.starts_on <= ends) and (term.ends_on is None or starts <= term.ends_on)
             for term in held):
        problems.append(["role_overlaps", {}])
    else:
        changes.append(["role", None, role])


def _settle(row: dict, exists: bool, changes: list, ref: dict) -> None:
    row["changes"], row["ref"] = changes, ref
    row["status"] = ("problem" if row["problems"] else "change" if changes else "same" if exists else "create")


def check(parsed: dict[str, list[dict]]) -> tuple[dict[str, list[dict]], dict[str, dict[str, int]]]:
    """The rows of each file with their problems, statuses and changes against the platform now; the counts."""
    rows = {kind: [{"line": r["line"], "values": dict(r["values"]), "problems": [list(p) for p in r["problems"]
                                                                                  if p[0] in importing.READING]}
                   for r in parsed.get(kind, [])] for kind in KINDS if kind in parsed}
    world = load_world(rows)
    _check_councils(rows.get("councils", []), world)
    _check_units(rows.get("units", []), world)
    _check_adults(rows.get("adults", []), world, rows.get("councils", []), rows.get("units", []))
    summary = {kind: {status: sum(1 for r in kind_rows if r["status"] == status)
                      for status in ("create", "change", "same", "problem")} for kind, kind_rows in rows.items()}
    return rows, summary


# --- preview ------------------------------------------------------------------------------------------

def preview(actor: Account, files: dict[str, tuple[str, bytes]]) -> SetupImport:
    """Read and check the files (``{kind: (filename, data)}``, at least one); nothing changes until the office says
    yes. A file that cannot be read as a whole is refused with a DomainError naming the file."""
    _require_office(actor)
    require(bool(files), _("Choose at least one file: councils, units or adults."), DomainError)
    parsed = {}
    for kind in KINDS:
        if kind in files:
            filename, data = files[kind]
            try:
                parsed[kind] = importing.read_file(kind, data)
            except DomainError as refused:
                raise DomainError(_("%(file)s: %(problem)s", file=filename or kind, problem=refused.message),
                                  field=kind) from refused
    rows, summary = check(parsed)
    names = ", ".join(files[kind][0] or kind for kind in KINDS if kind in files)
    pending = SetupImport(token=secrets.token_urlsafe(32), filenames=names[:400], rows=rows, summary=summary,
                          created_by_id=actor.id)
    db.session.add(pending)
    return pending


def find_import(token: str) -> SetupImport | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(SetupImport).where(SetupImport.token == token))


# --- apply --------------------------------------------------------------------------------------------

@dataclass
class Applied:
    created: int = 0
    changed: int = 0
    mailed: int = 0
    sheet: list = field(default_factory=list)  # (account, url, expires_on) for the links to print


def apply(pending: SetupImport, actor: Account) -> Applied:
    """Everything of the preview, or nothing; a second press of the button changes nothing."""
    _require_office(actor)
    require(pending.applied_at is None, _("This import was applied already; nothing was done twice."),
            AlreadyApplied)
    require(not pending.has_problems,
            _("Some rows have problems. Correct them in your files and upload them again; nothing was changed."),
            DomainError)
    rows, summary = check(pending.rows)
    stale = any([r["status"], r["changes"]] != [old["status"], old["changes"]]
                for kind in rows for r, old in zip(rows[kind], pending.rows[kind], strict=True))
    require(not stale, _("The platform changed since this preview (someone added or changed some of these rows). "
                         "Upload the files again to see what they do now; nothing was changed."), DomainError)
    db.session.flush()
    claimed = db.session.execute(update(SetupImport).where(SetupImport.id == pending.id,
                                                           SetupImport.applied_at.is_(None))
                                 .values(applied_at=clock.now(), applied_by_id=actor.id)
                                 .execution_options(synchronize_session=False))
    require(claimed.rowcount == 1, _("This import was applied already; nothing was done twice."), AlreadyApplied)
    done = Applied()
    # All or nothing: any refusal undoes every row of every file. Without autoflush: the operations called here
    # flush when they need an id (``record``), and flushing a session of a thousand new rows before each of their
    # look-ups as well took most of the time of a district's import.
    with db.session.begin_nested():
        with db.session.no_autoflush:
            councils = _apply_councils(rows.get("councils", []), actor, done)
            units = _apply_units(rows.get("units", []), actor, done)
            created = _apply_adults(rows.get("adults", []), actor, done, councils, units)
        for account, (url, link) in zip(created, welcome.issue_links(created, actor=actor, mail=True), strict=True):
            if account.email:
                done.mailed += 1
            else:
                done.sheet.append((account, url, link.expires_on))
    db.session.refresh(pending)
    pending.rows = rows  # with the ids of what was created, for printing new links later
    record("setup_imported", pending, actor=actor, created=done.created, changed=done.changed,
           **{kind: summary[kind] for kind in summary})
    return done


def _apply_councils(rows: list[dict], actor: Account, done: Applied) -> dict[int, Council]:
    """Creates and changes the councils; returns every council of the file by its line."""
    codes = set(db.session.scalars(select(Council.code)))
    by_line: dict[int, Council] = {}
    new_rows, new = [], []
    for row in rows:
        values, ref = row["values"], row["ref"]
        town = db.session.get(Council, ref["town_id"])
        if row["status"] == "create":
            n = len(town.children) + 1
            while f"{town.code}-{n:03d}" in codes:
                n += 1
            code = f"{town.code}-{n:03d}"
            codes.add(code)
            new_rows.append(row)
            new.append(NewCouncil(code, values["name"], CouncilKind(values["kind"]), town, values["name_en"]))
        else:
            council = db.session.get(Council, ref["id"])
            if row["status"] == "change":
                _change_council(council, town, values, row["changes"], actor)
                done.changed += 1
            by_line[row["line"]] = council
    for row, council in zip(new_rows, create_councils(new, actor=actor), strict=True):  # all with one flush
        council.area = row["values"]["area"]
        by_line[row["line"]] = council
    done.created += len(new_rows)
    return by_line


def _change_council(council: Council, town: Council, values: dict, changes: list, actor: Account) -> None:
    fields = [change[0] for change in changes]
    if "kind" in fields:
        council.kind = CouncilKind(values["kind"])
    if "town" in fields:  # a council of the lowest tier: nothing lies below it whose path would move
        council.parent = town
        council.path = town.path + council.code + "/"
    if "area" in fields:
        council.area = values["area"]
    if "name_en" in fields:
        council.name_en = values["name_en"]
    record("council_changed", council, actor=actor, council=council, fields=fields)


def _apply_units(rows: list[dict], actor: Account, done: Applied) -> dict[int, Unit]:
    by_line: dict[int, Unit] = {}
    # groups first, so that a unit of the same file can join a group the file creates
    for row in sorted(rows, key=lambda r: r["values"]["kind"] != UnitKind.group.value):
        values, ref = row["values"], row["ref"]
        group = None
        if "group_id" in ref:
            group = db.session.get(Unit, ref["group_id"])
        elif "group_line" in ref:
            group = by_line[ref["group_line"]]
        if row["status"] == "create":
            unit = add_unit(actor, name=values["name"], name_en=values["name_en"], kind=UnitKind(values["kind"]),
                            group=group)
            unit.contact = values["contact"]
            done.created += 1
        else:
            unit = db.session.get(Unit, ref["id"])
            if row["status"] == "change":
                _change_unit(unit, group, values, row["changes"], actor)
                done.changed += 1
        by_line[row["line"]] = unit
    return by_line


def _change_unit(unit: Unit, group: Unit | None, values: dict, changes: list, actor: Account) -> None:
    fields = [change[0] for change in changes]
    if "name_en" in fields:
        unit.name_en = values["name_en"]
    if "kind" in fields:
        unit.kind = UnitKind(values["kind"])
    if "contact" in fields:
        unit.contact = values["contact"]
    if "group" in fields and group is not None:
        group.members.append(unit)
    record("unit_changed", unit, actor=actor, unit=unit.name, fields=fields)


def _usernames(count: int) -> list[str]:
    """``count`` new usernames (u and six digits): nothing of the person's name, phone or e-mail in them."""
    names: set[str] = set()
    while len(names) < count:
        wanted = {f"u{secrets.randbelow(900_000) + 100_000}" for _n in range(count - len(names))} - names
        taken = set(db.session.scalars(select(Account.username).where(Account.username.in_(sorted(wanted)))))
        names |= wanted - taken
    return sorted(names)


def _apply_adults(rows: list[dict], actor: Account, done: Applied, councils: dict[int, Council],
                  units: dict[int, Unit]) -> list[Account]:
    """Creates the new adults with their roles (all of them together: a few statements per kind, not per adult)
    and changes the others; returns the accounts created, in the order of the file."""
    def place(ref: dict) -> tuple[Council | None, Unit | None]:
        council = (db.session.get(Council, ref["council_id"]) if "council_id" in ref
                   else councils.get(ref.get("council_line")))
        unit = db.session.get(Unit, ref["unit_id"]) if "unit_id" in ref else units.get(ref.get("unit_line"))
        return council, unit

    new_rows = [row for row in rows if row["status"] == "create"]
    created = accounts.create_adults([
        accounts.NewAdult(username, None, row["values"]["name"], row["values"]["email"], row["values"]["phone"],
                          SystemRole.coordinator if row["values"]["role"] == AdultRole.office else None)
        for row, username in zip(new_rows, _usernames(len(new_rows)), strict=True)], actor=actor)
    for row, account in zip(new_rows, created, strict=True):
        row["ref"]["account_id"] = account.id
    _give_roles([(account, row["values"]["role"], *place(row["ref"]), row["values"])
                 for row, account in zip(new_rows, created, strict=True)], actor)
    done.created += len(created)
    for row in rows:
        if row["status"] == "change":
            account = db.session.get(Account, row["ref"]["id"])
            _change_adult(account, *place(row["ref"]), row["values"], row["changes"], actor)
            done.changed += 1
    return created


def _term(values: dict) -> tuple[date, date | None]:
    starts = date.fromisoformat(values["starts_on"]) if values["starts_on"] else clock.today()
    return starts, date.fromisoformat(values["ends_on"]) if values["ends_on"] else None


def _give_role(account: Account, role: str, council: Council | None, unit: Unit | None, values: dict,
               actor: Account) -> None:
    _give_roles([(account, role, council, unit, values)], actor)


def _give_roles(given: list[tuple], actor: Account) -> None:
    """Each (account, role, council, unit, values): a council term, a post at a unit or the office's role."""
    terms, posts, ends = [], [], []
    for account, role, council, unit, values in given:
        starts, ending = _term(values)
        if role in (AdultRole.facilitator, AdultRole.teacher):
            terms.append(accounts.NewTerm(account, council, MembershipRole(role), starts, ending))
        elif role == AdultRole.staff:
            posts.append((account, unit, starts))
            ends.append(ending)
        elif role == AdultRole.office and account.system_role is None:
            account.system_role = SystemRole.coordinator
            record("system_role_given", account, actor=actor, to_state=SystemRole.coordinator)
    accounts.add_memberships(terms, actor=actor)
    for staff, ending in zip(accounts.add_unit_staffs(posts, actor=actor), ends, strict=True):
        staff.ends_on = ending


def _change_adult(account: Account, council: Council | None, unit: Unit | None, values: dict, changes: list,
                  actor: Account) -> None:
    fields = [change[0] for change in changes]
    if "name" in fields:
        account.display_name = values["name"]
    if "phone" in fields:
        account.phone = values["phone"]
    if "email" in fields:
        account.email = values["email"]
    if {"name", "phone", "email"} & set(fields):
        # which fields, never their values: the event log names nobody (docs/architecture.md)
        record("account_changed", account, actor=actor, fields=[f for f in fields if f in ("name", "phone", "email")])
    if "role" in fields:
        _give_role(account, values["role"], council, unit, values, actor)
    if "ends_on" in fields:
        starts, ends = _term(values)
        if values["role"] == AdultRole.staff:
            term = next(s for s in account.unit_roles if s.unit_id == unit.id and s.starts_on == starts)
            term.ends_on = ends
            record("unit_staff_changed", term, actor=actor, account_id=account.id, unit_id=unit.id,
                   ends_on=values["ends_on"])
        else:
            term = next(m for m in account.memberships if m.council_id == council.id and m.starts_on == starts
                        and m.role.value == values["role"])
            term.ends_on = ends
            record("membership_changed", term, actor=actor, council=council, account_id=account.id,
                   ends_on=values["ends_on"])


# --- links for the adults who have not set a password yet ---------------------------------------------

def created_accounts(pending: SetupImport) -> list[Account]:
    ids = [row["ref"]["account_id"] for row in pending.rows.get("adults", []) if "account_id" in row["ref"]]
    if not ids:
        return []
    return list(db.session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.id)))


def waiting_accounts(pending: SetupImport) -> list[Account]:
    """The adults this import created who have not set a password with their link yet (and are not switched off)."""
    found = created_accounts(pending)
    if not found:
        return []
    used = set(db.session.scalars(select(welcome.WelcomeLink.account_id).where(
        welcome.WelcomeLink.account_id.in_([a.id for a in found]), welcome.WelcomeLink.used_at.is_not(None))))
    return [a for a in found if a.id not in used and a.active]


def new_links(pending: SetupImport, actor: Account) -> list:
    """Fresh links, for printing, for every adult of this import still waiting; their earlier links stop working."""
    _require_office(actor)
    require(pending.applied_at is not None, _("This import has not been applied yet."), DomainError)
    waiting = waiting_accounts(pending)
    return [(account, url, link.expires_on)
            for account, (url, link) in zip(waiting, welcome.issue_links(waiting, actor=actor), strict=True)]


__all__ = ["AlreadyApplied", "Applied", "apply", "can_set_up", "check", "find_import",
           "new_links", "preview", "waiting_accounts"]
