"""Statements kept per worker (council/loading.py: prepared) cannot run the wrong shape: the key is made of the
code that builds the statement and the shape it reads, and under test a call checks that its key still gives the
same SQL (once for each set of unchanging values its code reads, every time when it reads something that can change)."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select

from council.councils.models import Council
from council.extensions import db
from council.loading import WrongShape, prepared


def _by(column_name: str):
    return prepared("councils", lambda: select(Council.id).where(
        getattr(Council, column_name) == bindparam("value")))


def test_a_shape_that_misses_what_changes_the_sql_is_caught(app):
    assert "councils.code" in str(_by("code"))
    with pytest.raises(WrongShape, match="councils"):
        _by("name")  # the same key, another column: a kept statement would have run the wrong query


_built: list[str] = []  # what ``_counted`` built, read as a module name (not an input of the build)


def _counted(key: object, column_name: str):
    def build():
        _built.append(column_name)
        return select(Council.id).where(getattr(Council, column_name) == bindparam("value"))

    return prepared(("counted", key), build)


def test_a_call_reading_the_same_unchanging_values_is_compared_once(app):
    key, _built[:] = object(), []
    for _ in range(3):
        _counted(key, "code")
    assert _built == ["code"]  # built and kept: the same values read again would build the same statement
    with pytest.raises(WrongShape, match="has another SQL"):
        _counted(key, "name")  # another value read: compared again, and caught


def test_a_call_reading_what_can_change_is_compared_every_time(app):
    columns = ["code"]  # a list can change between two calls that close over the same one

    def build():
        return select(Council.id).where(getattr(Council, columns[0]) == bindparam("value"))

    for _ in range(2):
        prepared("changing", build)
    columns[0] = "name"
    with pytest.raises(WrongShape, match="changing"):
        prepared("changing", build)


def test_two_places_that_name_their_statement_alike_do_not_share_it(app):
    first = prepared("same-name", lambda: select(Council.id))
    second = prepared("same-name", lambda: select(Council.name))
    assert "councils.id" in str(first) and "councils.name" in str(second)


def test_pages_read_their_kept_statements_with_the_shapes_they_built(client, demo, auth):
    """Every list, search, desk and page reached here builds its statements twice under test and compares them."""
    for path in ("/ideas/", "/ideas/?sort=supported", "/ideas/?q=路灯", "/ideas/?q=路灯&sort=supported&tier=district",
                 "/ideas/?q=希望", "/ideas/?state=routed", "/api/v1/proposals", "/api/v1/proposals?q=路灯", "/",
                 "/councils/"):
        assert client.get(path).status_code == 200, path
    auth.login("unit_edu", "zhoucun2026")
    for show in ("open", "overdue", "replied", "returned", "all"):
        assert client.get(f"/desk?show={show}").status_code == 200
    assert db.session.scalar(select(Council.id).limit(1)) is not None


def test_plain_rows_see_what_the_session_holds_as_the_orm_would(app, make):
    """``loading.rows`` runs on the session's connection: in its transaction, after flushing what the session holds
    (as ``Session.execute`` does), and not inside a ``no_autoflush`` block (nor does the ORM)."""
    from council.loading import rows

    council = make.council(name="新议事会")
    count = select(Council.id).where(Council.name == bindparam("name"))
    assert rows(count, {"name": "新议事会"}).all() == [(council.id,)]
    council.name = "改过的名字"
    with db.session.no_autoflush:
        assert rows(count, {"name": "改过的名字"}).all() == []
        assert db.session.execute(count, {"name": "改过的名字"}).all() == []
    assert rows(count, {"name": "改过的名字"}).all() == [(council.id,)]
    db.session.rollback()
