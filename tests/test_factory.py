import json
import os
import subprocess
import sys
from pathlib import Path

from council import create_app
from council.config import normalise_database_url


def test_testing_config_is_used(app):
    assert app.testing
    assert not create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing


def test_sqlite_in_instance_folder_is_the_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/council.sqlite")


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://council@localhost/council")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://council@localhost/council"


def test_postgres_urls_are_given_the_psycopg_driver():
    assert normalise_database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("postgresql+psycopg://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


# A fresh interpreter, since the test run itself imports the demo package (the `demo` fixture seeds with it).
# Also the writers of PDFs and spreadsheets, which the app imports when a process first makes one (council/warming.py
# reads them in the production master before it forks).
LOADED_DEMO_MODULES = """
import json, sys
import council
for config in %r:
    app = council.create_app(config)
    assert app.test_client().get("/").status_code == 200  # a page too: nothing imported on the first request
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("openpyxl", "reportlab")
                        or m == "council.demo" or m.startswith(("council.demo.", "council.stats.pdf")))))
"""


def test_the_app_imports_nothing_of_the_demo_package(database_url):
    """Demo, scale-seed and bench code is not the product: only `seed --demo` and bench mode import it. Nor are the
    PDF and spreadsheet writers read with the app (0.6–0.9 s of each process's start): the first export does."""
    configs = [None,  # the production configuration, from the environment
               {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url}]
    env = {k: v for k, v in os.environ.items() if k != "COUNCIL_BENCH"} | {"DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "-c", LOADED_DEMO_MODULES % (configs,)], env=env, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_bench_routes_exist_only_in_bench_mode(app, own_app):
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/bench")]
    assert app.test_client().get("/bench/hello").status_code == 404

    bench = own_app(BENCH=True)
    assert {"/bench/hello", "/bench/fortunes"} <= {rule.rule for rule in bench.url_map.iter_rules()}
    with bench.app_context():
        client = bench.test_client()
        hello = client.get("/bench/hello")
        assert hello.status_code == 200 and hello.text == "Hello, World!"
        fortunes = client.get("/bench/fortunes")
        assert fortunes.status_code == 200 and "<h1>Fortunes</h1>" in fortunes.text
        assert int(fortunes.headers["X-SQL-Queries"]) >= 1


def test_the_reference_write_adds_one_counted_event_without_a_csrf_token(own_app):
    """bench/writes.py's reference write: one audit event per request, named by its run and number, so the
    benchmark can count them; CSRF-exempt, as only bench mode has it."""
    from sqlalchemy import select

    from council.audit.models import Event
    from council.extensions import db

    bench = own_app(BENCH=True, WTF_CSRF_ENABLED=True)
    with bench.app_context():
        assert bench.test_client().post("/bench/write", data={"run": "r1", "n": "7"}).status_code == 204
        assert db.session.execute(select(Event.reason, Event.subject_id).where(
            Event.action == "bench_write")).all() == [("r1", 7)]


def test_make_bench_turns_bench_mode_on_through_the_environment(monkeypatch):
    monkeypatch.setenv("COUNCIL_BENCH", "1")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert "/bench/hello" in {rule.rule for rule in create_app().url_map.iter_rules()}
