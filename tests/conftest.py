"""Fixtures: an app on a throw-away database (SQLite, or PostgreSQL when DATABASE_URL names one),
a client, a sign-in helper and small factories.

Each test starts on a fresh copy of a snapshot built once per run (per xdist worker): the migrated empty
database, the same with the reference data (``reference``) or with the demo too (``demo``). The app object is
kept between the tests of a worker and put back as it was made before each one. docs/testing.md tells more."""

from __future__ import annotations

import copy
import functools
import gc
import hashlib
import inspect
import os
import shutil
import tempfile
import types
import weakref
from pathlib import Path
from typing import NamedTuple

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy import inspect as inspect_record
from sqlalchemy.engine import make_url
from sqlalchemy.orm import InstanceState

from council import create_app, districts
from council.calendar import clock
from council.config import normalise_database_url
from council.extensions import cache, db, limiter

PASSWORD = "correct horse battery"

# The snapshots, each built on the one before: the migrated database, + the reference data, + the demo.
LEVELS = ("empty", "reference", "demo")

# Function-scoped fixtures that write nothing to the database when they are set up. ``reference`` and ``demo``
# come from a snapshot only when nothing but these is set up before them, so that each finds the database as it
# always has (a fixture that adds units before ``reference`` runs keeps doing so: see _level).
QUIET_FIXTURES = frozenset({
    "app", "database_url", "client", "runner", "auth", "make", "english", "reference", "demo",
    "in_english", "english_reader",  # the tests' own: a language cookie on the client, an English request context
    "request", "tmp_path", "tmpdir", "monkeypatch", "capsys", "capsysbinary", "capfd", "capfdbinary", "caplog",
    "recwarn", "pytestconfig", "doctest_namespace",
})

# Set COUNCIL_TEST_NEW_APP=1 to build a new app for every test, as the suite did before it kept one per worker.
NEW_APP_EACH_TEST = os.environ.get("COUNCIL_TEST_NEW_APP") == "1"


def _worker() -> str:
    """``gw0``, ``gw1``… under pytest-xdist; ``main`` in a run without it."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        return normalise_database_url(url)
    return None


# A test of what only PostgreSQL has (psycopg's prepared statements, its kept plans); the PostgreSQL run of `.ci/run`
# runs it.
postgres_only = pytest.mark.skipif(not _postgres_url(), reason="PostgreSQL only: SQLite has nothing of the kind")

# The database the run was given (CI: …/council_test), read before pytest_configure points DATABASE_URL at this
# worker's own database; the worker's database is created and dropped through it.
SERVER_URL = _postgres_url()


def _database_url() -> str:
    """This worker's database on the run's server: council_test_gw0, council_test_gw1, … (council_test_main)."""
    url = make_url(SERVER_URL)
    return url.set(database=f"{url.database}_{_worker()}").render_as_string(hide_password=False)


def _execute(*statements: str) -> None:
    from sqlalchemy.pool import NullPool

    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _runs_tests(config) -> bool:
    """False in the process that only hands tests out to xdist workers."""
    return hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None)


def pytest_configure(config):
    """On PostgreSQL each xdist worker has a database of its own, named after it (council_test_gw0, …), and
    DATABASE_URL names it in the worker: a test that makes a scratch database beside it (tests/test_migrations.py
    makes <name>_migrations) cannot meet another worker's."""
    if SERVER_URL and _runs_tests(config):
        home = make_url(_database_url()).database
        _execute(f'DROP DATABASE IF EXISTS "{home}" WITH (FORCE)', f'CREATE DATABASE "{home}"')
        os.environ["DATABASE_URL"] = _database_url()


def pytest_unconfigure(config):
    if SERVER_URL and _runs_tests(config):
        _execute(f'DROP DATABASE IF EXISTS "{make_url(_database_url()).database}" WITH (FORCE)')


def pytest_collection_modifyitems(config, items):
    """Under xdist, the browser journeys and the tests on the demo (the access matrices) go first: workers take
    tests as they become free, and long tests handed out last would leave one worker finishing alone."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: 0 if "live_server" in item.fixturenames else 1 if "demo" in item.fixturenames
                   else 2)


REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so that a failed test's database can be kept to be looked at."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def _failed(item) -> bool:
    return any(report.failed for report in item.stash.get(REPORTS, {}).values())


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


def _folders(root: Path) -> dict:
    return {"UPLOAD_FOLDER": str(root / "uploads"), "MAIL_OUTBOX": str(root / "outbox")}


def _copy_folders(source: Path, target: Path) -> None:
    """The files a seed wrote beside its database: the demo's campaign pictures and its mails in the outbox."""
    for name in ("uploads", "outbox"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)


def _seed_reference() -> None:
    from council.seed import seed_reference

    seed_reference()
    db.session.commit()


def _seed_demo() -> None:
    from council.demo import seed_demo

    seed_demo()
    db.session.commit()


def _build(level: str, url: str, files: Path) -> None:
    """Bring the database at ``url`` (a copy of the level below) up to ``level``, as the fixtures always did."""
    app = create_app(_config(url) | _folders(files))
    with app.app_context():
        if level == "empty":
            upgrade()  # the real migrations, so they are tested on every engine
        elif level == "reference":
            _seed_reference()
        else:
            _seed_demo()
        db.session.remove()
        db.engine.dispose()
    # Flask-Caching's Cache keeps the last app set up with it (``cache.app``): let go of this one before _settle
    # freezes what is alive. Frozen, each level's app stayed alive, with its engine, for the whole run; on PostgreSQL,
    # where every level's URL is the test database's, each test's end took it for one the test had built and ran a
    # full collection (now database_url compares the engines with those alive before the test).
    if cache.app is app:
        cache.app = None
    BUILDERS.append(weakref.ref(app))


# The apps that built the snapshots, which must not outlive their build (tests/test_suite_machinery.py).
BUILDERS: list[weakref.ref] = []


class _Databases:
    """This worker's snapshots, each built the first time a test needs it (with the files its seed wrote, in
    ``root/<level>/``), and the one database its tests use, made a fresh copy of a snapshot before each test."""

    url: str

    def __init__(self, root: Path):
        self.root = root
        self.built: set[str] = set()
        self.worlds: dict[str, object] = {}  # a kept world's level → how to read its objects again (_freeze)

    def snapshot(self, level: str) -> Path:
        folder = self.root / level
        if level not in self.built:
            folder.mkdir()
            below = LEVELS[LEVELS.index(level) - 1] if level != "empty" else None
            if below:
                _copy_folders(self.snapshot(below), folder)
            self._start(level, below)
            _build(level, self._url(level), folder)
            self._keep_snapshot(level)
            self.built.add(level)
            _settle()
        return folder

    def fresh(self, level: str, tmp_path: Path) -> None:
        """The test database becomes a copy of snapshot ``level``, and ``tmp_path`` gets the snapshot's files."""
        folder = self.snapshot(level)
        self._replace(level)
        _copy_folders(folder, tmp_path)

    def keep_world(self, level: str, tmp_path: Path) -> None:
        """The test database, as a world fixture has just built and committed it, becomes snapshot ``level``
        (with the files the world wrote into ``tmp_path``)."""
        folder = self.root / level
        folder.mkdir()
        _copy_folders(tmp_path, folder)
        db.session.remove()
        self._take(level)
        self.built.add(level)
        _settle()

    def keep(self, tmp_path: Path) -> None:
        """After a failed test: keep its database to be looked at."""

    def close(self) -> None:
        pass


def _settle() -> None:
    """After a snapshot is built, what is alive (the app, its caches, the modules the seed imported) stays alive for
    the worker's run: the cycle collector stops walking it (``gc.freeze``), so each collection, and the one after a
    test that built an app of its own (``database_url``), walks the objects made since. Frozen objects are still
    freed by their reference counts; only a cycle among them would outlive its use."""
    gc.collect()
    gc.freeze()


class _SqliteDatabases(_Databases):
    """Snapshots are files. The test database is one file, replaced by a copy of a snapshot before each test."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.path = root / "test" / "test.sqlite"
        self.path.parent.mkdir()
        self.url = "sqlite:///" + str(self.path)

    def _url(self, level: str) -> str:
        return "sqlite:///" + str(self.root / level / "test.sqlite")

    def _start(self, level: str, below: str | None) -> None:
        if below:
            shutil.copyfile(self.root / below / "test.sqlite", self.root / level / "test.sqlite")

    def _keep_snapshot(self, level: str) -> None:
        # Closing the last connection folded the write-ahead log into the file: the file alone is the database.
        assert not (self.root / level / "test.sqlite-wal").exists()

    def _take(self, level: str) -> None:
        _let_go(self.url)  # every connection closed: the write-ahead log is folded into the file
        assert not Path(str(self.path) + "-wal").exists()
        shutil.copyfile(self.path, self.root / level / "test.sqlite")

    def _replace(self, level: str) -> None:
        # Unlinked, not overwritten: a connection left open elsewhere keeps the old file and cannot touch the new.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.root / level / "test.sqlite", self.path)

    def keep(self, tmp_path: Path) -> None:
        (tmp_path / "db").mkdir(exist_ok=True)
        for suffix in ("", "-wal"):
            if Path(str(self.path) + suffix).exists():
                shutil.copyfile(str(self.path) + suffix, tmp_path / "db" / ("test.sqlite" + suffix))


class _PostgresDatabases(_Databases):
    """The tests use this worker's database (council_test_gw0); a snapshot is a copy of its tables in a schema of
    its own (snapshot_demo). Before each test the tables a test wrote to are emptied and filled again from the
    snapshot, and the sequences set back, in one transaction: quicker than a new database (CREATE DATABASE …
    TEMPLATE) or TRUNCATE, which both create every table's files anew.

    Which tables a test wrote to, the database itself notes, whoever wrote (the test, its app, a server it
    started): a statement trigger on every table (``CHANGED_TRIGGER``) adds the table's name to
    ``snapshot_meta.changed`` after every INSERT, UPDATE, DELETE or TRUNCATE, in the writer's own transaction (a
    rolled-back write leaves no note, and no change). The restore runs with ``session_replication_role =
    replica`` (triggers and foreign-key checks off, so the tables can be filled in any order and the event log's
    protection stays installed), which needs a superuser; another role gets every table restored each time, the
    event log's protection lifted and put back around it. Sequences, which a rolled-back insert still moves, are
    always set back."""

    CHANGED_TRIGGER = "zz_snapshot_changed"

    def __init__(self, root: Path):
        super().__init__(root)
        self.url = _database_url()
        self.engine = create_engine(self.url, pool_size=1, pool_pre_ping=True)
        self.tables: list[str] = []  # every model's table, read once the first app has imported them all
        self.filled: dict[str, dict[str, str]] = {}  # level → table → its INSERT … SELECT from the snapshot
        self.sequences: dict[str, str] = {}  # level → the statement setting every sequence back
        self.loaded: str | None = None  # the snapshot the database holds but for the tables noted as changed
        with self.engine.connect() as connection:
            self.superuser = connection.exec_driver_sql(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar()

    def _url(self, level: str) -> str:
        return self.url

    def _start(self, level: str, below: str | None) -> None:
        if below:
            self._replace(below)
        self.loaded = None  # the seed writes; the snapshot taken next is what the database then holds

    def _note_changes(self, connection) -> None:
        """Install the trigger on every table (after the migrations: the empty snapshot)."""
        connection.exec_driver_sql(
            "CREATE SCHEMA IF NOT EXISTS snapshot_meta;"
            "CREATE UNLOGGED TABLE IF NOT EXISTS snapshot_meta.changed (name text NOT NULL);"  # no key: no waits
            "CREATE OR REPLACE FUNCTION snapshot_meta.note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO snapshot_meta.changed VALUES (TG_TABLE_NAME); RETURN NULL; END $$;"
            + "".join(f'CREATE OR REPLACE TRIGGER {self.CHANGED_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                      f'ON "{name}" FOR EACH STATEMENT EXECUTE FUNCTION snapshot_meta.note();' for name in self.tables))

    def _keep_snapshot(self, level: str) -> None:
        schema = f"snapshot_{level}"
        tables = self.tables = [table.name for table in db.metadata.sorted_tables]
        with self.engine.begin() as connection:
            if level == "empty":
                self._note_changes(connection)
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
            connection.exec_driver_sql("".join(f'CREATE TABLE "{schema}"."{name}" AS TABLE "{name}";'
                                               for name in tables))
            filled = [name for name in tables
                      if connection.exec_driver_sql(f'SELECT EXISTS (SELECT FROM "{schema}"."{name}")').scalar()]
            columns = {name: [] for name in filled}
            for table, column in connection.execute(text(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position")):
                if table in columns:
                    columns[table].append(f'"{column}"')
            sequences = connection.execute(text(
                "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value), "
                "last_value IS NOT NULL FROM pg_sequences WHERE schemaname = current_schema()")).all()
            connection.exec_driver_sql("DELETE FROM snapshot_meta.changed")
        self.filled[level] = {
            name: f'INSERT INTO "{name}" ({", ".join(columns[name])}) OVERRIDING SYSTEM VALUE '
                  f'SELECT {", ".join(columns[name])} FROM "{schema}"."{name}";' for name in filled}
        self.sequences[level] = "".join(f"SELECT setval('{sequence}', {value}, {'true' if called else 'false'});"
                                        for sequence, value, called in sequences)
        self.loaded = level

    def _take(self, level: str) -> None:
        self._keep_snapshot(level)

    def _changed(self, connection) -> list[str] | None:
        """The tables written to since the database last held ``self.loaded``; None when that cannot be told
        (a role that cannot switch triggers off, a table without its trigger)."""
        if not self.superuser:
            return None
        changed, triggers = connection.exec_driver_sql(
            "SELECT ARRAY(SELECT DISTINCT name FROM snapshot_meta.changed), "
            f"(SELECT count(*) FROM pg_trigger WHERE tgname = '{self.CHANGED_TRIGGER}')").one()
        return changed if triggers == len(self.tables) else None

    def _replace(self, level: str) -> None:
        from council.audit.protection import protect, unprotect

        with self.engine.begin() as connection:
            changed = self._changed(connection) if self.loaded == level else None
            tables = self.tables if changed is None else [name for name in self.tables if name in changed]
            statements = ["SET LOCAL lock_timeout = '60s';",
                          *(f'DELETE FROM "{name}";' for name in reversed(tables)),
                          *(self.filled[level][name] for name in tables if name in self.filled[level]),
                          self.sequences[level], "DELETE FROM snapshot_meta.changed;"]
            if self.superuser:
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica;" + "".join(statements))
            else:
                unprotect(connection)  # the event log refuses DELETE (council/audit/protection.py)
                connection.exec_driver_sql("".join(statements))
                protect(connection)
        self.loaded = level

    def keep(self, tmp_path: Path) -> None:
        pass  # it stays as the test left it until the next test of this worker

    def close(self) -> None:
        self.engine.dispose()


# Where SQLite's test databases live: in memory (a tmpfs) where the machine has one, so that the commits of a test's
# throw-away database wait for no disk (SQLite syncs its log at each commit, as it must in production).
IN_MEMORY = Path("/dev/shm")
# A container's small /dev/shm (Docker's is 64 MB) is left alone: the two workers of a run held up to 45 MB there.
IN_MEMORY_FREE = 1 << 30
_DATABASES_PREFIX = "council-test-databases-"


def _databases_root(tmp_path_factory) -> Path:
    """A folder of this worker's own for its SQLite snapshots and test database: in ``IN_MEMORY`` when it can be
    written to and has room (named after this process, and removed when the run ends; a folder left by a process
    that is gone, killed outright, is removed by the next run), else in pytest's temporary folder."""
    if not (IN_MEMORY.is_dir() and os.access(IN_MEMORY, os.W_OK)
            and shutil.disk_usage(IN_MEMORY).free >= IN_MEMORY_FREE):
        return tmp_path_factory.mktemp("databases")
    for left in IN_MEMORY.glob(_DATABASES_PREFIX + "*"):
        pid = left.name.removeprefix(_DATABASES_PREFIX).partition("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_DATABASES_PREFIX}{os.getpid()}-", dir=IN_MEMORY))


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    root = tmp_path_factory.mktemp("databases") if SERVER_URL else _databases_root(tmp_path_factory)
    databases = (_PostgresDatabases if SERVER_URL else _SqliteDatabases)(root)
    yield databases
    databases.close()
    if root.is_relative_to(IN_MEMORY):
        shutil.rmtree(root, ignore_errors=True)


def _setup_order(item) -> list[str]:
    """The fixtures of ``item`` in the order pytest finishes setting them up: each after those it asks for."""
    definitions = item._fixtureinfo.name2fixturedefs
    order: list[str] = []
    seen: set[tuple[str, int]] = set()

    def visit(name: str, index: int = -1) -> None:
        defs = definitions.get(name, ())
        if (name, index) in seen or -index > max(len(defs), 1):
            return
        seen.add((name, index))
        if defs:
            for argname in defs[index].argnames:
                visit(argname, index - 1 if argname == name else -1)  # a fixture extending the one it overrides
        if index == -1:
            order.append(name)

    for name in item.fixturenames:
        visit(name)
    return order


def _quiet(item, name: str) -> bool:
    defs = item._fixtureinfo.name2fixturedefs.get(name)
    if not defs:
        return True  # ``request``, and names with no fixture (pytest reports those itself)
    return (name in QUIET_FIXTURES
            or defs[-1].scope != "function"  # cannot reach a test's database
            or defs[-1].func.__name__ == "get_direct_param_fixture_func")  # a value from @pytest.mark.parametrize


def _level(item) -> str:
    """The snapshot a test starts from: the higher of ``reference`` and ``demo`` that it asks for (directly or
    through other fixtures) and that is set up with only quiet fixtures before it. A test whose own fixture adds
    councils or units before ``reference`` starts lower, and ``reference`` then seeds on top of them, as always.
    A kept world (``kept_world``) set up with only quiet fixtures and kept worlds before it is a level of its own,
    above the one found so far."""
    level = "empty"
    for name in _setup_order(item):
        if (world := _world_level(item, name, level)) is not None:
            level = world
        elif name in ("reference", "demo"):
            if level in WORLD_BASES:
                break  # seeded on top of the world, as it always was
            level = name
        elif not _quiet(item, name):
            break
    return level


def _chain(level: str) -> list[str]:
    """The kept worlds ``level`` is built of, the lowest first."""
    chain = []
    while level in WORLD_BASES:
        chain.insert(0, level)
        level = WORLD_BASES[level]
    return chain


# A kept world's level → the level it is built on, and the name of its fixture.
WORLD_BASES: dict[str, str] = {}
WORLD_NAMES: dict[str, str] = {}


def _world_level(item, name: str, below: str) -> str | None:
    """The level of the kept world fixture ``name`` built on ``below``, in the current hour (UTC) of the district's
    clock: a world built yesterday, or before the district's midnight, is not today's world. None when ``name`` is
    not a kept world."""
    definitions = item._fixtureinfo.name2fixturedefs.get(name)
    build = getattr(definitions[-1].func, "kept_world", None) if definitions else None
    if build is None:
        return None
    what = f"{build.__module__}.{build.__qualname__} on {below} at {clock.now():%Y-%m-%d %H}"
    level = "world_" + hashlib.sha1(what.encode()).hexdigest()[:12]
    WORLD_BASES[level], WORLD_NAMES[level] = below, name
    return level


LEVEL = pytest.StashKey[str]()  # the level the test database starts at (a kept world's counts as the one below it)
WORLDS = pytest.StashKey[list[str]]()  # the kept worlds this test's database is (or is to be built) at, lowest first


@pytest.fixture
def database_url(request, databases, tmp_path):
    """The test database, a fresh copy of the snapshot this test needs; the same URL for every test of a worker."""
    level = _level(request.node)
    worlds = request.node.stash[WORLDS] = _chain(level)
    request.node.stash[LEVEL] = WORLD_BASES[worlds[0]] if worlds else level
    while level in WORLD_BASES and level not in databases.built:  # the highest kept world built so far
        level = WORLD_BASES[level]
    databases.fresh(level, tmp_path)
    before = weakref.WeakSet(_engines())
    yield databases.url
    if _let_go(databases.url, since=before):
        # The test built an app of its own on the database: a connection it left to the garbage collector is
        # reported now, against this test (-W error), not against whichever later test the collector runs in.
        gc.collect()
    if _failed(request.node):
        databases.keep(tmp_path)


def _engines() -> list:
    """The engines of every app alive (Flask-SQLAlchemy's, per app)."""
    return [engine for engines in list(getattr(db, "_app_engines", {}).values()) for engine in list(engines.values())]


def _let_go(url: str, since=()) -> list:
    """Close every pooled connection to the test database, also those of an app a test built for itself on it (but
    the kept app's on PostgreSQL, ``KEPT_ENGINES``): on SQLite, one closing later could fold its write-ahead log into
    (or delete that of) the next test's database.
    Returns the engines on it that are not in ``since`` (those alive before the test: the apps it built)."""
    url = make_url(url)
    found = [engine for engine in _engines() if engine.url == url]
    for engine in found:
        if engine not in KEPT_ENGINES:
            engine.dispose()
    return [engine for engine in found if engine not in since]


# The kept app's engine on PostgreSQL, whose pooled connections stay open from one test to the next, as a server's
# do from one request to the next: each new connection would plan every statement again (the sign-in's, with its
# joins, plans in about 0.5 ms) and prepare none. They wait idle, outside any transaction, while the next test's
# restore empties and fills the tables in place, so a connection and what it prepared stay valid.
KEPT_ENGINES: set = set()


class FreshContextClient(FlaskClient):
    """Each request gets its own application context, as in production, even though the test holds one
    open for its own database work; otherwise ``g`` (signed-in user, locale) would leak between requests."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _kept_html(app) -> list:
    """The caches of the pieces of HTML an app keeps (council/templating.py kept_macro), found in the closures of
    its template globals and extensions."""
    found = []
    for value in (*app.jinja_env.globals.values(), *app.extensions.values()):
        if type(value) is not types.FunctionType:  # not a proxy such as ``request``, whose attributes need one
            continue
        for cell in value.__closure__ or ():
            try:
                inner = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if hasattr(inner, "cache_clear") and hasattr(inner, "cache_info"):
                found.append(inner)
    return found


def _shape(app) -> tuple:
    """What a test could change about an app that the fixture cannot put back: handlers, routes, template globals
    and filters, extensions, attributes, listeners on its database engine; compared by identity."""
    def identities(mapping) -> tuple:
        return tuple((key, id(value)) for key, value in mapping.items() if key not in VOLATILE_ATTRIBUTES)

    def handlers(spec) -> tuple:
        return tuple((key, tuple(map(id, funcs))) for key, funcs in spec.items())

    def listeners(dispatch) -> tuple:
        return tuple((name, tuple(map(id, getattr(dispatch, name)))) for name in dispatch._event_names)

    with app.app_context():
        engine = db.engine

    return (
        identities(vars(app)), identities(app.extensions), identities(app.blueprints),
        identities(app.view_functions), identities(app.jinja_env.globals), identities(app.jinja_env.filters),
        identities(app.jinja_env.tests), *map(handlers, (
            app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
            app.template_context_processors, app.url_value_preprocessors, app.url_default_functions)),
        tuple(map(id, app.teardown_appcontext_funcs)), len(app.url_map._rules),
        id(engine), listeners(engine.dispatch), listeners(engine.pool.dispatch),  # SQLAlchemy event listeners
        # looking a handler up leaves empty entries behind
        tuple((scope, code, identities(found)) for scope, codes in app.error_handler_spec.items()
              for code, found in codes.items() if found),
    )


# Attributes of a Flask app that serving requests changes by itself.
VOLATILE_ATTRIBUTES = frozenset({"_got_first_request"})


class _KeptApp:
    """One app per worker: building one (its routes, then its templates and SQL statements compiled again on first
    use) cost more than most tests do. Before each test it is put back as it was built: its configuration; the
    cache and the limiter (extensions all apps share, which an app a test builds for itself sets up its own way);
    the pieces of HTML it keeps (council/templating.py kept_macro), which may have been made under settings a test
    changed; and Flask's "first request handled" flag. Anything else a test changed (a route, a handler, a template
    global, an attribute, a listener on its engine) cannot be put back: then the next test gets a new app (_shape)."""

    def __init__(self, url: str):
        self.url = url
        self.app = None

    def _build(self) -> None:
        self.app = create_app(_config(self.url))
        KEPT_ENGINES.clear()
        if SERVER_URL:
            with self.app.app_context():
                KEPT_ENGINES.add(db.engine)
        self.app.test_client_class = FreshContextClient
        for name in ("jinja_loader", "logger", "name"):  # attributes set on first use: set them now, not in a test
            getattr(self.app, name)
        self.config = copy.deepcopy(dict(self.app.config))
        self.kept_html = _kept_html(self.app)
        self.shape = _shape(self.app)

    def prepare(self, folders: dict):
        if self.app is None or NEW_APP_EACH_TEST:
            self._build()
        self.app._got_first_request = False  # as built: a test may still add routes before its first request
        self.app.config.clear()
        self.app.config.update(copy.deepcopy(self.config) | folders)
        cache.init_app(self.app)
        limiter.init_app(self.app)
        for kept in self.kept_html:
            kept.cache_clear()
        if _shape(self.app) != self.shape:
            self._build()
            self.app.config.update(folders)
        return self.app


@pytest.fixture(scope="session")
def _kept_app(databases):
    return _KeptApp(databases.url)


@pytest.fixture
def app(database_url, tmp_path, _kept_app):
    app = _kept_app.prepare(_folders(tmp_path))
    with app.app_context():
        # The district's profile is kept per app (council/districts): read it from this test's database now, so a
        # test counting statements does not count that one read.
        districts.forget()
        districts.current()
        try:
            yield app
        finally:
            db.session.remove()  # its connections are closed by database_url's teardown (_let_go)


@pytest.fixture
def own_app(database_url, tmp_path):
    """Build an app of the test's own on the test database, for a setting the kept app must not carry (a rate
    limit, CSRF, bench mode): ``own_app(RATELIMIT_ENABLED=True, ...)``. Each is let go of when the test ends —
    its session removed and every connection of its pool closed — so none is left to the garbage collector,
    which would report it (-W error) against whichever later test it happens to run in."""
    from council import create_app

    built = []

    def build(**config):
        built.append(create_app(_config(database_url) | _folders(tmp_path) | config))
        return built[-1]

    yield build
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _seeded(request, level: str) -> bool:
    return LEVELS.index(request.node.stash[LEVEL]) >= LEVELS.index(level)


@pytest.fixture
def reference(app, request):
    """The councils, plan and units every installation has."""
    if not _seeded(request, "reference"):
        _seed_reference()


@pytest.fixture
def demo(reference, request):
    if not _seeded(request, "demo"):
        _seed_demo()


def kept_world(build):
    """A fixture that builds a world of records for a test (councils, adults, children, ideas) and returns an object
    holding them, built once per worker (and hour) instead of once per test: the first test that asks for it with
    only quiet fixtures (or other kept worlds: they stack) before it builds it, and the database is then kept as a
    snapshot of its own (a level, as ``reference`` and ``demo`` are); every such test, the first included, starts
    from a copy of that snapshot and gets a new object whose records are read again from its database. A test that
    sets up something else first (a fixture writing to the database) gets the world built on top, as before.

    ``build`` takes the fixtures it names (``make``, …) and returns the world: an object whose attributes are
    records, lists or dicts of records, or plain values; records are read again by class and key, plain values are
    shared (the factory ``make`` keeps no state of its own)."""
    names = list(inspect.signature(build).parameters)

    @functools.wraps(build)
    def fixture(request, **fixtures):
        world = next((level for level in request.node.stash.get(WORLDS, ())
                      if WORLD_NAMES[level] == request.fixturename), None)
        if world is None:
            return build(**fixtures)
        databases = request.getfixturevalue("databases")
        if world not in databases.built:
            made = build(**fixtures)
            db.session.commit()
            databases.worlds[world] = _freeze(made)
            databases.keep_world(world, request.getfixturevalue("tmp_path"))
        return _thaw(databases.worlds[world])

    fixture.__signature__ = inspect.Signature(
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names if name != "request"])
    del fixture.__wrapped__  # pytest reads the fixtures asked for from the signature above, not from ``build``
    fixture.kept_world = build
    return pytest.fixture(fixture)


@kept_world
def demo_targets(demo):
    """The demo objects the access matrices and the form tests aim at, by name (tests/test_access_posts.py
    ``demo_ids``: an open vote, a class list and a setup import waiting for their yes, campaigns voting and being
    judged…), made once per worker (and hour) on the demo."""
    from tests.test_access_posts import demo_ids

    return demo_ids()


class _Record(NamedTuple):
    """A record of a kept world, by class and primary key."""
    model: type
    identity: tuple


class _Whole(NamedTuple):
    """An object of the tests' own (a world, a namespace), by class and frozen attributes."""
    cls: type
    attributes: dict


def _freeze(value):
    """What ``_thaw`` needs to make ``value`` again in a later test: records by class and key."""
    if isinstance(value, list | tuple):
        return type(value)(_freeze(item) for item in value)
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    state = inspect_record(value, raiseerr=False)
    if isinstance(state, InstanceState):
        assert state.identity is not None, f"a kept world holds a record never written: {value!r}"
        return _Record(type(value), state.identity)
    if isinstance(value, types.SimpleNamespace) or (
            type(value).__module__.startswith("tests.") and hasattr(value, "__dict__") and not callable(value)):
        return _Whole(type(value), {key: _freeze(item) for key, item in vars(value).items()})
    return value


def _records(frozen) -> list[_Record]:
    if isinstance(frozen, _Record):
        return [frozen]
    if isinstance(frozen, _Whole):
        return _records(frozen.attributes)
    if isinstance(frozen, dict):
        frozen = list(frozen.values())
    if isinstance(frozen, list | tuple):
        return [record for item in frozen for record in _records(item)]
    return []


def _thaw(frozen):
    """A new world from ``_freeze``'s answer, its records read from this test's database: one statement per model."""
    by_model: dict[type, list] = {}
    for record in _records(frozen):
        by_model.setdefault(record.model, []).append(record.identity)
    read: dict[_Record, object] = {}
    for model, identities in by_model.items():
        [key] = inspect_record(model).primary_key  # the platform's tables have one-column keys
        for found in db.session.scalars(select(model).where(key.in_([identity for (identity,) in identities]))):
            read[_Record(model, inspect_record(found).identity)] = found
    return _made(frozen, read)


def _made(frozen, read: dict):
    if isinstance(frozen, _Record):
        return read.get(frozen)
    if isinstance(frozen, _Whole):
        made = object.__new__(frozen.cls)
        vars(made).update({key: _made(item, read) for key, item in frozen.attributes.items()})
        return made
    if isinstance(frozen, list | tuple):
        return type(frozen)(_made(item, read) for item in frozen)
    if isinstance(frozen, dict):
        return {key: _made(item, read) for key, item in frozen.items()}
    return frozen


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
