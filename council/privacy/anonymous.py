"""How an erased child appears wherever they once were named: as "a child of <council>", never a nickname.

An erased child's account stays as an empty shell (so votes, ratings and the event log keep their
counts), without its private profile: a child account with no profile is an erased one."""

from __future__ import annotations

from flask_babel import gettext as _


def is_erased(account) -> bool:
    return account is not None and account.is_child and account.child_profile is None


def erased_author(council_name: str) -> str:
    """How an erased child is named in a list of authors."""
    return _("a child of %(council)s", council=council_name)


def child_name(account, council, *, start: bool = False) -> str:
    """The name to show for a child: the nickname, or for an erased child "a child of <council>"."""
    if not is_erased(account):
        return account.display_name
    if start:
        return _("A child of %(council)s", council=council.display_name)
    return erased_author(council.display_name)


def public_names(names, council_name: str) -> list[str]:
    """Authors read as rows (a nickname, or None where a child was erased) as anyone may read them."""
    return [name if name is not None else erased_author(council_name) for name in names]


def public_authors(proposal) -> list[str]:
    """The authors of an idea as anyone may read them, in the order they were named."""
    named = [(link.position, 0, link.account.display_name) for link in proposal.author_links]
    anonymous = [(link.position, 1, None) for link in proposal.anonymous_author_links]
    ordered = sorted(named + anonymous, key=lambda author: author[:2])  # by position, named first on a tie
    return public_names([name for _p, _e, name in ordered], proposal.council.display_name)
