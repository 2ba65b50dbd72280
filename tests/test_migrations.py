from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from council.extensions import db


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
