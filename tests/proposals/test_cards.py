"""Idea cards read as plain rows say exactly what the idea's own objects say."""

from flask_babel import force_locale
from sqlalchemy import select

from council.extensions import db
from council.proposals import cards
from council.proposals.models import Proposal


def test_cards_read_as_rows_match_the_ideas(app, demo):
    query = select(Proposal).where(Proposal.is_public).order_by(Proposal.id)
    with app.test_request_context("/"):
        read = [card for card, _extra in cards.read(query)]
        from_objects = [cards.Card.of(p) for p in db.session.scalars(query)]
    assert len(read) > 5
    assert read == from_objects
    assert any(card.task_no for card in read) and any(len(card.authors) > 1 for card in read)


def test_a_card_is_rendered_in_the_readers_language(app, demo):
    proposal = db.session.scalar(select(Proposal).where(Proposal.is_public, Proposal.plan_task_id.is_not(None)))
    with app.test_request_context("/"):
        chinese = str(cards.render([proposal]))
        with force_locale("en"):  # as a message to an English reader is written
            english = str(cards.render([proposal]))
        assert str(cards.render([proposal])) == chinese
    assert f"Task {proposal.plan_task.no}" in english and f"任务 {proposal.plan_task.no}" in chinese
    assert f'href="/ideas/{proposal.id}"' in english and proposal.title in chinese


def test_every_public_idea_has_its_publication_date(demo):
    """The newest-first list reads ideas by publication date and leaves undated ones out (so PostgreSQL can seek
    past drafts): no public idea may be without one."""
    from sqlalchemy import func

    assert db.session.scalar(select(func.count(Proposal.id)).where(Proposal.is_public)) > 5
    assert db.session.scalar(select(func.count(Proposal.id)).where(Proposal.is_public,
                                                                   Proposal.published_at.is_(None))) == 0
