"""What can be flagged: one adapter per kind of published content, registered by its type name.

A feature makes its content flaggable by writing a ``FlagTarget`` subclass and calling ``register``
(see docs/guides/facilitators.md, "Reported ideas"). The flag model, the threshold, the review queue and the
notifications are shared; the adapter only says how to find, show, hide and unhide one item."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import select

from council.accounts.models import Account
from council.councils.models import Council
from council.extensions import db


class FlagTarget:
    """The questions the reporting feature asks about one kind of item."""

    type: str = ""  # stored in content_flags.target_type; at most 32 characters, never renamed
    list_endpoint: str = "public.home"  # where a reporter goes when the item has just been hidden

    def get(self, target_id: int):
        raise NotImplementedError

    def is_flaggable(self, item) -> bool:
        """Published and shown to the public right now."""
        raise NotImplementedError

    def is_visible(self, item, account) -> bool:
        """Whether ``account`` may know the item exists (council/visibility.py): the public while it is shown."""
        return self.is_flaggable(item)

    def council(self, item) -> Council:
        """Whose facilitators review the flags."""
        raise NotImplementedError

    def title(self, item) -> str:
        raise NotImplementedError

    def url(self, item) -> str:
        raise NotImplementedError

    def authors(self, item) -> list[Account]:
        raise NotImplementedError

    def is_hidden(self, item) -> bool:
        raise NotImplementedError

    def notification_subject(self, item):
        """The idea a message to the authors links to, if the item is one (``Notification.proposal``)."""
        return None

    def hide(self, item, now: datetime) -> None:
        raise NotImplementedError

    def unhide(self, item) -> None:
        raise NotImplementedError

    def council_paths(self):
        """A statement of (item id, path of ``council(item)``) for every item of this kind, so the review queue can be
        counted by the database (``operations.review_count``); None counts the queue item by item."""
        return None


TARGETS: dict[str, FlagTarget] = {}


def register(target: FlagTarget) -> FlagTarget:
    assert target.type and len(target.type) <= 32, "a flag target needs a short type name"
    TARGETS[target.type] = target
    return target


class ProposalTarget(FlagTarget):
    """Public ideas. Hiding sets ``proposals.hidden_at``, which ``Proposal.is_public`` reads, so the
    list, the idea page, search and the API all stop showing it at once."""

    type = "proposal"
    list_endpoint = "proposals.index"

    def get(self, target_id: int):
        from council.proposals.models import Proposal

        return db.session.get(Proposal, target_id)

    def is_flaggable(self, item) -> bool:
        return item.is_public

    def is_visible(self, item, account) -> bool:
        from council.proposals.operations import can_view

        return can_view(item, account)

    def council(self, item) -> Council:
        return item.current_council

    def title(self, item) -> str:
        return item.title

    def url(self, item) -> str:
        return url_for("proposals.show", proposal_id=item.id)

    def authors(self, item) -> list[Account]:
        return list(item.authors)

    def is_hidden(self, item) -> bool:
        return item.hidden_at is not None

    def notification_subject(self, item):
        return item

    def hide(self, item, now: datetime) -> None:
        item.hidden_at = now

    def unhide(self, item) -> None:
        item.hidden_at = None

    def council_paths(self):
        from council.proposals.models import Proposal

        return select(Proposal.id, Council.path).join(Council, Council.id == Proposal.current_council_id)


register(ProposalTarget())
