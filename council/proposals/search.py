"""Finding ideas by words. Chinese has no spaces, so the text is cut into overlapping two-character
pieces (公园 → 公园; 儿童公园 → 儿童 童公 公园) kept in an indexed table; a search for 路灯 is then an
index lookup rather than a scan of every idea, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re

from sqlalchemy import Select, and_, bindparam, delete, exists, func, or_, select
from sqlalchemy.orm import aliased

from council.extensions import db
from council.proposals.models import TEXT_FIELDS, Proposal, SearchTerm

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUNS = re.compile(rf"[{CJK}]+|[a-z0-9]+")


def terms_of(text: str) -> set[str]:
    terms: set[str] = set()
    for run in RUNS.findall(text.lower()):
        if re.match(rf"[{CJK}]", run):
            terms.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
        else:
            terms.add(run[:32])
    return terms


def index(proposal: Proposal) -> None:
    """Rebuild the idea's pieces; called whenever its public words change."""
    db.session.execute(delete(SearchTerm).where(SearchTerm.proposal_id == proposal.id))
    text = " ".join(getattr(proposal, field) or "" for field in TEXT_FIELDS)
    terms = terms_of(text)
    if terms:
        db.session.execute(SearchTerm.__table__.insert(),
                           [{"proposal_id": proposal.id, "term": term} for term in sorted(terms)])


def index_remove(proposal: Proposal) -> None:
    db.session.execute(delete(SearchTerm).where(SearchTerm.proposal_id == proposal.id))


def _contains(word: str) -> str:
    """A LIKE pattern for text containing ``word`` as typed: its ``%``, ``_`` and ``\\`` are plain characters."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def shape(words: str) -> tuple[tuple, dict[str, str]]:
    """What a search for ``words`` asks, as a shape — for each word, how it is tested — and the values to test
    with. The shape decides the statement's text, so a list keeps one statement per shape (loading.prepared)."""
    shapes, values = [], {}
    for i, word in enumerate(words.split()):
        terms = terms_of(word)
        if not terms or any(len(t) < 2 and re.match(rf"[{CJK}]", t) for t in terms):
            # a single character: too common for the index to help, so read the text
            shapes.append(("text",))
            values[f"w{i}"] = _contains(word)
            continue
        values |= {f"w{i}t{j}": term for j, term in enumerate(sorted(terms))}
        if len(word) > 2:  # pieces can all be there without the whole word: confirm on the few left
            values[f"w{i}"] = _contains(word)
        shapes.append(("pieces", len(terms), len(word) > 2))
    return tuple(shapes), values


def matching(query: Select, words: tuple, plan: str = "index") -> Select:
    """Narrow ``query`` (over Proposal) to ideas containing every word of a search of this ``shape``; the words'
    values are its parameters ``w<i>`` (the text) and ``w<i>t<j>`` (its pieces).

    Three plans for the same ideas. ``index``, for a rare word: the index hands over its few ideas and they are
    sorted (``IN``; grouped, which also keeps PostgreSQL from walking the list in order instead). ``walk``, for a
    common word (the caller knows there are many hits, from the kept count): sorting tens of thousands of ideas
    to show twenty would be slow, so the list is read in its own order and each idea is checked against the
    index (``EXISTS``), which stops after one page. ``count``, for a count, which has no order: on SQLite a
    two-character word joins its one piece (an idea holds it once), 40 ms for 80,000 ideas instead of 74, and as
    fast as ``index`` for a rare word. PostgreSQL's planner answers that join with a scan of every idea, 35 ms
    even for a rare word (measured in the session note of 29 November), so there each piece is its own ``IN``
    without grouping: the planner then knows from the piece's statistics how many ideas hold it, and picks an index
    lookup for a rare word (0.5 ms) and one pass over the ideas for a common one (希望, 80,000 ideas: 110–160 ms,
    where the grouped ``IN``, estimated at 247 ideas, looked up each of them by its key, 290 ms)."""
    for i, (kind, *pieces) in enumerate(words):
        text = or_(*(getattr(Proposal, f).ilike(bindparam(f"w{i}"), escape="\\") for f in TEXT_FIELDS))
        if kind == "text":
            query = query.where(text)
            continue
        count, whole = pieces
        terms = [bindparam(f"w{i}t{j}") for j in range(count)]
        if plan == "walk":
            for term in terms:
                query = query.where(exists().where(SearchTerm.proposal_id == Proposal.id, SearchTerm.term == term))
        elif plan == "count" and count == 1 and db.engine.dialect.name == "sqlite":
            piece = aliased(SearchTerm)
            query = query.join(piece, and_(piece.proposal_id == Proposal.id, piece.term == terms[0]))
        elif plan == "count" and db.engine.dialect.name == "postgresql":
            for term in terms:
                query = query.where(Proposal.id.in_(select(SearchTerm.proposal_id).where(SearchTerm.term == term)))
        else:
            hits = (select(SearchTerm.proposal_id).where(SearchTerm.term.in_(terms))
                    .group_by(SearchTerm.proposal_id).having(func.count() == count))
            query = query.where(Proposal.id.in_(hits))
        if whole:
            query = query.where(text)
    return query
