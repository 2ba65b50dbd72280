from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from council.extensions import db
from tests.conftest import postgres_only


def test_migrations_build_exactly_the_models(app):
    """The database the migrations built matches the models: `flask db check` would be clean."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def _scratch_url(tmp_path) -> str:
    """A database of its own, a SQLite file on every run: 0013 asks the inspector which indexes exist, the same
    call on both engines, and a second PostgreSQL engine per worker left a connection to the garbage collector."""
    return "sqlite:///" + str(tmp_path / "migrations.sqlite")


def _indexes() -> set[str]:
    from sqlalchemy import inspect

    with db.engine.connect() as connection:
        return {index["name"] for index in inspect(connection).get_indexes("proposals")}


def test_a_database_that_ran_the_first_0011_gets_the_indexes_added_to_it_later(tmp_path):
    """0011 gained two indexes after it had landed; 0013 creates them where they are missing, and runs cleanly
    where they are there. 0022 then replaces ix_proposals_submitted with the statistics' index, and back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from council import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": _scratch_url(tmp_path)})
    with app.app_context():
        upgrade(revision="0012_public_count_index")
        with db.engine.begin() as connection:  # the first 0011 had only the two keyset indexes
            connection.execute(text("DROP INDEX ix_proposals_answered_id"))
            connection.execute(text("DROP INDEX ix_proposals_submitted"))
        upgrade(revision="0013_list_indexes_repair")
        assert {"ix_proposals_published_id", "ix_proposals_support_id", "ix_proposals_answered_id",
                "ix_proposals_submitted"} <= _indexes()
        upgrade()  # 0022: the statistics' covering index takes ix_proposals_submitted's place
        assert "ix_proposals_statistics" in _indexes() and "ix_proposals_submitted" not in _indexes()
        downgrade(revision="0012_public_count_index")  # a database that has them all: nothing to do, no error
        assert "ix_proposals_submitted" in _indexes() and "ix_proposals_statistics" not in _indexes()
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.session.remove()
        db.engine.dispose()


def test_0023_dates_each_ideas_first_adoption_and_sending_from_the_event_log(tmp_path):
    """A database with ideas already adopted and sent to units gets ``adopted_at`` and ``routed_at`` from the time
    of each idea's first such event; an idea with none keeps them empty, and the statistics count the same ideas
    as the event log does."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from council import create_app
    from council.proposals.models import Proposal
    from council.stats import figures

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": _scratch_url(tmp_path)})
    with app.app_context():
        upgrade(revision="0022_statistics_index")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")  # ideas alone, without councils or accounts
            for pid in (1, 2, 3):
                connection.execute(text(
                    "INSERT INTO proposals (id, state, council_id, current_council_id, created_by_id, on_behalf, "
                    "title, problem, place, idea, who_helps, topic_chosen, wizard_step, support_count, created_at, "
                    "updated_at, route_round) VALUES (:id, 'closed', 1, 1, 1, 0, 'idea', '', '', '', '', 1, 7, 0, "
                    "'2026-03-01 00:00:00+00:00', '2026-03-01 00:00:00+00:00', 1)"), {"id": pid})
            events = [(1, "proposal_adopted", "2026-04-02 08:00:00+00:00"),
                      (1, "proposal_adopted", "2026-05-02 08:00:00+00:00"),  # adopted again after a reopening
                      (1, "proposal_routed", "2026-04-10 08:00:00+00:00"),
                      (2, "proposal_adopted", "2026-06-01 08:00:00+00:00"),
                      (3, "proposal_published", "2026-03-05 08:00:00+00:00")]
            for subject, action, when in events:
                connection.execute(text(
                    "INSERT INTO events (created_at, action, subject_type, subject_id, data) "
                    "VALUES (:when, :action, 'proposals', :subject, '{}')"),
                    {"when": when, "action": action, "subject": subject})
        upgrade()
        milestones = {p.id: (p.adopted_at and p.adopted_at.isoformat(), p.routed_at and p.routed_at.isoformat())
                      for p in db.session.scalars(db.select(Proposal))}
        assert milestones == {1: ("2026-04-02T08:00:00+00:00", "2026-04-10T08:00:00+00:00"),
                              2: ("2026-06-01T08:00:00+00:00", None), 3: (None, None)}
        assert set(db.session.scalars(db.select(Proposal.id).where(figures.ADOPTED))) == {1, 2}
        assert set(db.session.scalars(db.select(Proposal.id).where(figures.ROUTED))) == {1}
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.session.remove()
        db.engine.dispose()


def test_0024_leaves_codes_set_before_it_without_a_check_and_they_still_print(tmp_path):
    """A class's codes set before 0024 keep their hash and seal and get an empty ``code_check``: their next print or
    sign-in checks the hash and seals them as new codes are (tests/rosters/test_operations.py)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from council import create_app
    from council.rosters.models import ChildSignIn

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": _scratch_url(tmp_path)})
    with app.app_context():
        upgrade(revision="0023_idea_milestones")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")  # the code alone, without its child or class
            connection.execute(text(
                "INSERT INTO child_sign_ins (id, account_id, class_id, avatar, code_hash, code_salt, code_sealed, "
                "failed_count, code_issued_at) VALUES (1, 1, 1, 0, 'scrypt:1$salt$hash', 'ab', '123', 0, "
                "'2026-09-01 00:00:00+00:00')"))
        upgrade()
        upgrade()  # again: nothing to do
        kept = db.session.get(ChildSignIn, 1)
        assert (kept.code_hash, kept.code_sealed, kept.code_check) == ("scrypt:1$salt$hash", "123", None)
        db.session.remove()
        downgrade(revision="0023_idea_milestones")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT code_sealed FROM child_sign_ins")).scalar() == "123"
        db.engine.dispose()


@postgres_only
def test_0025_has_autovacuum_keep_the_ideas_indexes_readable_alone_on_postgresql(app):
    """The tables whose indexes the statistics, the totals and search read alone are vacuumed (and analysed) after
    2 % of their rows changed, not PostgreSQL's default 20 %; the downgrade puts the defaults back."""
    from sqlalchemy import text

    def options(connection) -> dict[str, list[str]]:
        rows = connection.execute(text("SELECT relname, reloptions FROM pg_class WHERE oid IN "
                                       "('proposals'::regclass, 'proposal_search_terms'::regclass)"))
        return {name: sorted(found or []) for name, found in rows}

    settled = ["autovacuum_analyze_scale_factor=0.02", "autovacuum_vacuum_insert_scale_factor=0.02",
               "autovacuum_vacuum_scale_factor=0.02"]
    with db.engine.connect() as connection:
        assert options(connection) == {"proposals": settled, "proposal_search_terms": settled}
        migration = _load_migration("0025_autovacuum_keeps_up")
        with _operations(connection):
            migration.downgrade()
            assert options(connection) == {"proposals": [], "proposal_search_terms": []}
            migration.upgrade()
            migration.upgrade()  # again: the same settings
        assert options(connection) == {"proposals": settled, "proposal_search_terms": settled}
        connection.rollback()


def _load_migration(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _operations(connection):
    """Alembic's ``op`` bound to ``connection``, for calling one revision's functions directly."""
    from alembic.operations import Operations

    return Operations.context(MigrationContext.configure(connection))
