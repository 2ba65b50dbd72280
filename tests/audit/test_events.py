import pytest
from sqlalchemy import select

from council.audit.models import AppendOnlyError, Event
from council.audit.operations import record
from council.extensions import db


def test_an_event_records_who_what_and_the_change(make):
    council = make.council()
    actor = make.adult()
    record("published", council, actor=actor, council=council, from_state="submitted", to_state="published",
           reason="好建议")
    db.session.commit()
    event = db.session.scalars(select(Event).where(Event.action == "published")).one()
    assert (event.actor_id, event.subject_type, event.subject_id) == (actor.id, "councils", council.id)
    assert (event.from_state, event.to_state, event.reason) == ("submitted", "published", "好建议")
    assert event.created_at.tzinfo is not None


def test_events_cannot_be_changed(make):
    record("something", make.council())
    db.session.commit()
    event = db.session.scalars(select(Event)).first()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


def test_events_cannot_be_deleted(make):
    record("something", make.council())
    db.session.commit()
    db.session.delete(db.session.scalars(select(Event)).first())
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
