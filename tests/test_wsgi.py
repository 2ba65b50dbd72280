"""The app gunicorn serves is warmed in the master before the workers fork (council/wsgi.py, council/warming.py),
without a connection a forked worker would share; each worker opens its first connection before its first
visitor."""

from __future__ import annotations

import subprocess
import sys


def test_the_served_app_is_warmed_without_touching_the_database(tmp_path):
    """Built in a process of its own, as gunicorn's master does, on a database that cannot be reached: every
    template is compiled and the app never tried to connect."""
    probe = """
import council.wsgi as served
from council.extensions import db
env = served.app.jinja_env
names = env.list_templates(extensions=["html"])
assert len(names) > 50, len(names)
cached = {template.name for template in env.cache.values()}
assert set(names) <= cached, sorted(set(names) - cached)[:5]
with served.app.app_context():  # the database cannot be reached: had warming connected, it would have failed
    assert db.engine.pool.checkedin() == db.engine.pool.checkedout() == 0
from babel import localedata
from council.extensions import babel
languages = served.app.config["LANGUAGES"]
assert {locale for locale, _domain in babel.domain_instance.cache} == set(languages)  # every catalogue read
assert set(languages) <= set(localedata._cache)  # and Babel's data for every language
import sys
assert {"council.stats.pdf", "openpyxl"} <= set(sys.modules)  # the writers the app imports when first used
from council.warming import warm_worker
warm_worker(served.app)  # a worker whose database is down still starts: it only says so
print("warm", len(names))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/unreachable",
                                 "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("warm ")
    assert "the worker could not open its first database connection" in result.stderr


def test_a_worker_opens_its_first_connection_before_its_first_visitor(own_app):
    from council.extensions import db
    from council.warming import warm_worker

    app = own_app()  # as a worker has it just after the fork: no connection of its own yet
    with app.app_context():
        assert db.engine.pool.checkedin() == db.engine.pool.checkedout() == 0
    warm_worker(app)
    with app.app_context():
        assert db.engine.pool.checkedin() == 1 and db.engine.pool.checkedout() == 0


def test_another_app_served_with_the_same_configuration_is_left_alone(monkeypatch, tmp_path):
    """gunicorn.conf.py is read by every gunicorn started in the checkout, also the bench's plain app."""
    from flask import Flask

    from council.warming import warm_worker

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'plain.sqlite'}")
    from bench.plain import app as plain

    warm_worker(plain)  # no database of the platform's to open: nothing happens, nothing fails
    warm_worker(Flask("another"))
    warm_worker(lambda environ, start_response: [])
