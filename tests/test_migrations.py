from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from council.extensions import db


def test_migrations_build_exactly_the_models(app):
    """The database the migrations built matches the models: `flask db check` would be clean."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
