"""Ids tell nothing: what a view answers when the object a path names by its id is refused.

Ids count up (``/ideas/41``, ``/ideas/42``): if "it exists, but not for you" answered differently from "there is
no such thing", anyone could count the drafts, the children, the help requests of a district by trying ids. So,
for every view that loads an object by an id in its path:

1. No such object: 404.
2. The signed-in person may not see the object at all: 404, the very page a missing id gets
   (``hidden_unless``). Objects whose existence is private: ideas that are not public (drafts, ideas sent,
   returned, declined or withdrawn, hidden after reports) to all but their authors and the facilitators who
   screen them; children's profiles (consent, data requests) to all but the adults of the child's councils;
   tasks to all but the unit's staff and the office that routes them; help requests and data requests to all but
   those who handle them; classes to all but their teachers; campaigns being prepared, sessions being prepared
   and campaign entries not shown to the public to all but their organisers (and the entry's child and teacher).
3. They may see the object (its page, a list that shows it) but may not do this with it: 403 with a message that
   says who may (``refuse_unless``): a public idea only its authors may withdraw, an idea a facilitator sees but
   may not screen, a public campaign only its organisers change, a council only its facilitators run.
4. A page or action reserved to a role (the coordinating office's calendar, tokens, word list, indicator
   decisions) refuses before it looks at the id: its 403 is then the same for every id, existing or not.

A visitor is sent to sign in before anything is looked up (``login_required`` comes first), or, on a public page,
gets the same 404 as for a missing id. ``tests/test_private_ids.py`` checks every route with an id in its path:
for the accounts that may not see the object, the answer is the one a missing id gets."""

from __future__ import annotations

from flask import abort

from council.errors import PermissionDenied


def hidden_unless(may_see: bool) -> None:
    """404, as for a missing id, unless the signed-in person may know the object exists."""
    if not may_see:
        abort(404)


def refuse_unless(allowed: bool, may_see: bool, message: str) -> None:
    """Nothing when ``allowed``; 404 when the person may not even see the object; otherwise 403 with ``message``."""
    if allowed:
        return
    hidden_unless(may_see)
    raise PermissionDenied(message)
