"""The rule for adults' passwords: long enough, and not on the list of passwords everybody tries first.

``council/data/common-passwords.txt.gz`` is Django's list (20,000 common passwords, compiled by Royce
Williams; BSD licence, see ``council/data/common-passwords.LICENSE.txt``), vendored unchanged."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from council.errors import DomainError

MIN_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).resolve().parents[1] / "data" / "common-passwords.txt.gz"


class WeakPassword(DomainError):
    status = 400


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, *, username: str = "") -> str | None:
    """Why this password may not be used, in words for the person choosing it; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("A password needs at least %(n)s characters. A short sentence you can remember works well.",
                 n=MIN_LENGTH)
    lowered = password.strip().lower()
    if lowered in common_passwords():
        return _("This password is on the list of passwords that are tried first when someone breaks in. "
                 "Choose another one.")
    if username and lowered == username.strip().lower():
        return _("The password may not be the same as the username.")
    if len(set(password)) < 4:
        return _("This password repeats too few characters. Choose one that is harder to guess.")
    return None


def check_password(password: str, *, username: str = "") -> None:
    problem = password_problem(password, username=username)
    if problem:
        raise WeakPassword(problem)


def change_password(account, *, current: str, new: str, again: str) -> None:
    """An adult changes their own password: the current one first, then the new one twice, then the rule."""
    from werkzeug.security import check_password_hash

    from council.accounts.operations import hash_password
    from council.accounts.sessions import PASSWORD, end_all_sessions
    from council.audit.operations import record
    from council.errors import require

    require(not account.is_child, _("Children's passwords are set by their teacher."), DomainError)
    require(check_password_hash(account.password_hash, current),
            _("Your current password is not right. Check it and try again."), WeakPassword, field="current")
    require(new == again, _("The two new passwords are not the same. Type them again."), WeakPassword,
            field="again")
    require(new != current, _("The new password must be different from the current one."), WeakPassword,
            field="new")
    problem = password_problem(new, username=account.username)
    require(problem is None, problem or "", WeakPassword, field="new")
    account.password_hash = hash_password(new)
    # every other device is signed out; this one, where the password was just typed, stays
    end_all_sessions(account, PASSWORD, keep=account.session_key)
    record("password_changed", account, actor=account)
