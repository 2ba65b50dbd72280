"""Idea cards: the short summary of an idea in every list (the idea list, the home page, "my ideas").

A list page reads its cards as plain rows — the ideas with their council and plan task in one statement, the
authors of the whole page in a second — instead of building ORM objects with their relationships, and renders
each card once: its HTML is kept, per worker, under a key made of everything the card shows (title, state,
council name, the authors' public names, supports, task, heading level, language). A key that holds every input
cannot go stale, so there is nothing to invalidate and nothing that workers would need to share; an erased
child's card changes its key the moment the nickname is gone."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.orm import aliased

from council import loading
from council.accounts.models import Account
from council.councils.models import Council
from council.i18n import english_requested, in_language
from council.loading import prepared
from council.plan.models import PlanTask
from council.privacy.anonymous import public_authors, public_names
from council.proposals.models import Proposal, ProposalAuthor, ProposalState
from council.templating import MB, kept_macro

# The councils and the task a card names, joined under their own names so a filter's join never clashes.
# ``extra`` columns of ``read`` may name them too (the API reads the council's tier and the task's title).
CURRENT, ORIGIN, TASK = aliased(Council, name="card_council"), aliased(Council, name="card_origin"), \
    aliased(PlanTask, name="card_task")

# Cards kept per worker: a few pages of every list in both languages (a card is about 3 KB in memory).
KEPT_CARDS_BYTES = 30 * MB
# The columns every card reads (``statement``); a caller's ``extra`` columns follow as extra_0, extra_1, …
CARD_COLUMNS = ("card_id", "card_title", "card_state", "card_on_behalf", "card_supports", "card_council",
                "card_council_en", "card_origin", "card_origin_en", "card_task_no")


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    title: str
    state: ProposalState
    council: str  # the current council's name in the reader's language
    authors: tuple[str, ...]  # public names in order: a nickname, or "a child of <council>" for an erased child
    on_behalf: bool
    support_count: int
    task_no: str | None

    @classmethod
    def of(cls, proposal: Proposal) -> Card:
        return cls(proposal.id, proposal.title, proposal.state, proposal.current_council.display_name,
                   tuple(public_authors(proposal)), proposal.on_behalf, proposal.support_count,
                   proposal.plan_task.no if proposal.plan_task else None)


def statement(query, extra=()):
    """``query`` (a ``select(Proposal)`` with its filters, order and limit) reading what a card shows: the idea
    with its council and plan task joined in, then the ``extra`` columns (e.g. a cursor's), each read by its name."""
    current, origin, task = CURRENT, ORIGIN, TASK
    return (query.with_only_columns(
            Proposal.id.label("card_id"), Proposal.title.label("card_title"), Proposal.state.label("card_state"),
            Proposal.on_behalf.label("card_on_behalf"), Proposal.support_count.label("card_supports"),
            current.name.label("card_council"), current.name_en.label("card_council_en"),
            origin.name.label("card_origin"), origin.name_en.label("card_origin_en"), task.no.label("card_task_no"),
            *(column.label(f"extra_{i}") for i, column in enumerate(extra)))
            .join(current, current.id == Proposal.current_council_id)
            .join(origin, origin.id == Proposal.council_id)
            .outerjoin(task, task.id == Proposal.plan_task_id))


def read(query, extra=()) -> list[tuple[Card, tuple]]:
    """The cards of ``query`` (a ``select(Proposal)``), in its order, each with the values of the ``extra``
    columns. Two statements, whatever the number of cards."""
    return of_rows(loading.rows(statement(query, extra)).all())


def of_rows(rows) -> list[tuple[Card, tuple]]:
    """Cards from the rows of a ``statement``, with their authors read in one more statement. Each row is read by
    column name through its mapping: a Row's attributes cost about 1 µs each, ten a card, where the mapping's
    lookups cost a tenth of that (the API's fifty cards spent half a millisecond on them)."""
    english = english_requested()
    rows = [row._mapping for row in rows]
    names = authors([row["card_id"] for row in rows])
    # The ``extra`` columns by name, the names made once for the whole page rather than per row and column.
    extras = [f"extra_{i}" for i in range(len(rows[0]) - len(CARD_COLUMNS))] if rows else []
    cards = []
    for row in rows:
        card_id = row["card_id"]
        public = public_names(names.get(card_id, ()), in_language(row["card_origin"], row["card_origin_en"], english))
        cards.append((Card(card_id, row["card_title"], row["card_state"],
                           in_language(row["card_council"], row["card_council_en"], english), tuple(public),
                           row["card_on_behalf"], row["card_supports"], row["card_task_no"]),
                      tuple(map(row.__getitem__, extras))))
    return cards


def authors_of(proposal: Proposal) -> list[str]:
    """One idea's authors as anyone may read them (as ``privacy.anonymous.public_authors``), in one statement."""
    return public_names(authors([proposal.id]).get(proposal.id, []), proposal.council.display_name)


def _authors_statement():
    from council.privacy.models import AnonymousAuthor

    ids = bindparam("ids", expanding=True)
    named = (select(ProposalAuthor.proposal_id, ProposalAuthor.position, literal(0).label("erased"),
                    Account.display_name)
             .join(Account, Account.id == ProposalAuthor.account_id).where(ProposalAuthor.proposal_id.in_(ids)))
    erased = select(AnonymousAuthor.proposal_id, AnonymousAuthor.position, literal(1).label("erased"),
                    literal(None).label("display_name")).where(AnonymousAuthor.proposal_id.in_(ids))
    return union_all(named, erased)


def authors(ids: list[int]) -> dict[int, list[str | None]]:
    """The authors of these ideas in the order they were named: a nickname, or None for an erased child."""
    if not ids:
        return {}
    found: dict[int, list[tuple[int, int, str | None]]] = {}
    for row in loading.rows(prepared("card-authors", _authors_statement), {"ids": list(ids)}).mappings():
        found.setdefault(row["proposal_id"], []).append((row["position"], row["erased"], row["display_name"]))
    return {key: [name for _p, _e, name in sorted(value)] for key, value in found.items()}


def render(items, level: int = 2) -> Markup:
    """The cards of ``items`` (cards or proposals) as list items, each rendered once per worker and language."""
    english, html = english_requested(), current_app.extensions["idea_cards"]
    return Markup("").join(html(item if isinstance(item, Card) else Card.of(item), level, english)
                           for item in items)


def init_app(app) -> None:
    app.extensions["idea_cards"] = kept_macro(app, "macros/ideas.html", "idea_card", KEPT_CARDS_BYTES)
    app.jinja_env.globals["idea_cards"] = render
