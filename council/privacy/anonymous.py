"""How an erased child appears wherever they once were named: as "a child of <council>", never a nickname.

An erased child's account stays as an empty shell (so votes, ratings and the event log keep their
counts), without its private profile: a child account with no profile is an erased one."""

from __future__ import annotations

from flask_babel import gettext as _


def is_erased(account) -> bool:
    return account is not None and account.is_child and account.child_profile is None


def child_name(account, council, *, start: bool = False) -> str:
    """The name to show for a child: the nickname, or for an erased child "a child of <council>"."""
    if not is_erased(account):
        return account.display_name
    if start:
        return _("A child of %(council)s", council=council.display_name)
    return _("a child of %(council)s", council=council.display_name)


def public_authors(proposal) -> list[str]:
    """The authors of an idea as anyone may read them, in the order they were named."""
    named = [(link.position, link.account.display_name) for link in proposal.author_links]
    anonymous = [link.position for link in proposal.anonymous_author_links]
    erased = _("a child of %(council)s", council=proposal.council.display_name)
    return [name for _position, name in sorted(named + [(p, erased) for p in anonymous], key=lambda x: x[0])]
