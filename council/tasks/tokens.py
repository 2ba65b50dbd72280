"""Unit tokens: the keys another government system uses to work a unit's tasks through the API.

Only a token's SHA-256 is stored; the token itself is shown once, to the coordinator who issues it."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from council.accounts.models import Account
from council.accounts.operations import add_unit_staff, create_adult, find_account
from council.audit.operations import record
from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.proposals.operations import IllegalTransition
from council.tasks.models import UnitToken
from council.units.models import Unit

NAME_MAX = 80


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def tokens_of(unit: Unit) -> list[UnitToken]:
    return list(db.session.scalars(select(UnitToken).where(UnitToken.unit_id == unit.id)
                                   .order_by(UnitToken.revoked, UnitToken.id.desc())))


def issue_token(unit: Unit, name: str, actor: Account) -> tuple[UnitToken, str]:
    """A new token for ``unit``; the plain token is returned here and never again."""
    require(actor.is_authenticated and actor.is_coordinator, _("Only the coordinating office can do that."))
    require(unit.routable and unit.is_active, _("%(unit)s cannot receive tasks: choose one department.",
                                                unit=unit.display_name), DomainError)
    name = (name or "").strip()
    require(0 < len(name) <= NAME_MAX, _("Name the system that will use the token, in at most %(max)s characters.",
                                         max=NAME_MAX), DomainError)
    plain = secrets.token_urlsafe(32)
    token = UnitToken(unit=unit, name=name, token_hash=hash_token(plain), created_by_id=actor.id)
    db.session.add(token)
    record("unit_token_issued", token, actor=actor, council=unit.council, unit=unit.name, name=name)
    return token, plain


def revoke_token(token: UnitToken, actor: Account) -> None:
    require(actor.is_authenticated and actor.is_coordinator, _("Only the coordinating office can do that."))
    require(not token.revoked, _("This token is already revoked."), IllegalTransition)
    token.revoked = True
    record("unit_token_revoked", token, actor=actor, council=token.unit.council, unit=token.unit.name,
           name=token.name)


def authenticate(header_value: str | None) -> UnitToken | None:
    """The live token an ``Authorization: Bearer <token>`` header carries, or None."""
    scheme, _space, plain = (header_value or "").strip().partition(" ")
    plain = plain.strip()
    if scheme.lower() != "bearer" or not plain:
        return None
    digest = hash_token(plain)
    token = db.session.scalar(select(UnitToken).where(UnitToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked:
        return None
    token.last_used_at = clock.now()
    return token


def service_account(unit: Unit) -> Account:
    """The adult account the API acts as for ``unit``, so the record names the unit's integration as the actor.

    Created on first use, with a password nobody knows: it can never sign in to the website."""
    username = f"unit-api-{unit.id}"
    account = find_account(username)
    if account is None:
        # The unit's name is cut so the suffix always fits the 64 characters of a display name.
        account = create_adult(username, None, f"{unit.name[:59]} 系统接口")
        add_unit_staff(account, unit, starts_on=clock.today())
    return account
