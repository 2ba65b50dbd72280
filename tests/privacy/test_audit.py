"""The audit viewer for the coordinating office, and the event log the database itself protects."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from council.audit.models import Event
from council.audit.operations import record
from council.extensions import db
from tests.privacy.conftest import sign_in


@pytest.fixture
def log(world):
    """A few events with known actors, subjects, councils and days."""
    world.teacher_event = record("child_data_viewed", world.author, actor=world.teacher,
                                 council=world.community_a, view="teacher_roster")
    db.session.commit()
    db.session.execute(insert(Event).values(action="signed_in", actor_id=world.author.id, subject_type="accounts",
                                            subject_id=world.author.id, data={},
                                            created_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC)))
    db.session.commit()
    return world


def _rows(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_coordinator_filters_the_record(client, log):
    sign_in(client, "coord")
    everything = client.get("/audit").get_data(as_text=True)
    assert "<td>Child&#39;s private details viewed</td>" in everything and "<td>Idea made public</td>" in everything
    by_action = client.get("/audit?action=child_data_viewed").get_data(as_text=True)
    assert "<td>Child&#39;s private details viewed</td>" in by_action and "<td>Idea made public</td>" not in by_action
    by_actor = client.get("/audit?actor=teacher_a").get_data(as_text=True)
    assert "teacher_a" in by_actor and "(fac_a)" not in by_actor
    by_subject = client.get(f"/audit?subject_type=proposals&subject_id={log.public_idea.id}").get_data(as_text=True)
    assert "<td>Idea made public</td>" in by_subject and "<td>Child&#39;s private details viewed</td>" not in by_subject
    by_council = client.get(f"/audit?council={log.community_b.id}&action=child_data_viewed").get_data(as_text=True)
    assert "No entries match these filters." in by_council
    # 2026-03-01 02:00 UTC is 10:00 on 1 March in Zhoucun
    one_day = client.get("/audit?date_from=2026-03-01&date_to=2026-03-01").get_data(as_text=True)
    assert "<td>Signed in</td>" in one_day and "<td>Idea made public</td>" not in one_day
    assert "No entries" in client.get("/audit?date_from=2026-03-02&date_to=2026-03-02").get_data(as_text=True)


def test_the_record_pages_back_by_id(client, log):
    sign_in(client, "coord")
    ids = db.session.scalars(select(Event.id).order_by(Event.id.desc())).all()
    from council.privacy import queries

    queries_page = queries.PAGE_SIZE
    try:
        queries.PAGE_SIZE = 3
        first = client.get("/audit").get_data(as_text=True)
        assert f"before={ids[2]}" in first
        second = client.get(f"/audit?before={ids[2]}").get_data(as_text=True)
        assert f"<td>{ids[3]}</td>" in second and f"<td>{ids[2]}</td>" not in second
    finally:
        queries.PAGE_SIZE = queries_page


def test_the_filtered_view_downloads_as_csv(client, log):
    sign_in(client, "coord")
    response = client.get("/audit/export.csv?action=child_data_viewed&actor=teacher_a")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = _rows(response)
    assert rows[0][0] == "Entry no." and len(rows) == 2
    assert rows[1][2] == "teacher_a" and rows[1][4] == "child_data_viewed" and '"view": "teacher_roster"' in rows[1][12]


def test_facilitators_and_teachers_do_not_get_the_record(client, log):
    sign_in(client, "fac_a")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_the_database_refuses_to_change_or_delete_events(log):
    event_id = log.teacher_event.id
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE events SET reason = 'rewritten' WHERE id = :id"), {"id": event_id})
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM events WHERE id = :id"), {"id": event_id})
    db.session.rollback()
    assert db.session.get(Event, event_id).reason is None
    record("still_appendable", log.author)
    db.session.commit()
