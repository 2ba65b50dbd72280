"""The suite's own machinery (tests/conftest.py): what a test leaves behind is let go of, and a test that built no
app of its own ends without a full collection of the garbage."""

from __future__ import annotations

import gc
import weakref

from council.extensions import db
from tests import conftest


def test_the_apps_that_built_the_snapshots_do_not_outlive_their_build(app, demo):
    gc.collect()
    assert conftest.BUILDERS  # this worker built at least the demo's snapshot
    assert [ref() for ref in conftest.BUILDERS if ref() is not None] == []


def test_a_test_that_builds_no_app_ends_without_a_full_collection(app, demo, database_url):
    before = weakref.WeakSet(conftest._engines())
    app.test_client().get("/")
    assert conftest._let_go(database_url, since=before) == []
    own = conftest.create_app(conftest._config(database_url))
    with own.app_context():
        db.session.execute(db.select(1))
        db.session.remove()
        assert conftest._let_go(database_url, since=before) == [db.engine]
