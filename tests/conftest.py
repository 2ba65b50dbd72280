"""Fixtures: an app on a throw-away database (SQLite, or PostgreSQL when DATABASE_URL names one),
a client, a sign-in helper and small factories."""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from council import create_app
from council.config import normalise_database_url
from council.extensions import db

PASSWORD = "correct horse battery"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def _config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production uses scrypt
        "RATELIMIT_ENABLED": False,  # tests/test_security.py turns it on where it is the subject
        "CACHE_TYPE": "NullCache",  # figures are read fresh; tests/stats/test_cache.py tests the cache itself
        "CACHE_NO_NULL_WARNING": True,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One database per run, built by the real migrations (so they are tested on every engine)."""
    url = _database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


class FreshContextClient(FlaskClient):
    """Each request gets its own application context, as in production, even though the test holds one
    open for its own database work; otherwise ``g`` (signed-in user, locale) would leak between requests."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _empty_all_tables() -> None:
    """The event log refuses DELETE in the database (council/audit/protection.py): PostgreSQL empties
    everything with TRUNCATE, which row triggers do not see; SQLite lifts the triggers while it deletes."""
    from council.audit.protection import protect, unprotect

    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(t.name for t in db.metadata.sorted_tables)))
            return
        unprotect(connection)
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        protect(connection)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(_config(database_url) | {"UPLOAD_FOLDER": str(tmp_path / "uploads"),
                                              "MAIL_OUTBOX": str(tmp_path / "outbox")})
    app.test_client_class = FreshContextClient
    with app.app_context():
        _empty_all_tables()
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def reference(app):
    """The councils, plan and units every installation has."""
    from council.seed import seed_reference

    seed_reference()
    db.session.commit()


@pytest.fixture
def demo(reference):
    from council.demo import seed_demo

    seed_demo()
    db.session.commit()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        return self.client.post("/login", data={"username": username, "password": password}, **kwargs)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make(app):
    from tests.factories import Factory

    return Factory()


@pytest.fixture
def english(app):
    """Run domain code as an English reader would, to assert on the source sentences."""
    from contextlib import contextmanager

    from flask_babel import refresh

    @contextmanager
    def context():
        with app.test_request_context(headers={"Cookie": "lang=en"}):
            refresh()  # the test's app context may hold a locale chosen before this request
            yield
        refresh()

    return context
