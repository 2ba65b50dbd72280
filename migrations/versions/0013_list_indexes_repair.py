"""repair: create the list indexes that 0011 gained after it had landed

0011_list_indexes was edited in two later commits (adding ix_proposals_answered_id, then
ix_proposals_submitted), so a database that had already run the first 0011 never got them. This revision
creates whichever of 0011's indexes is missing and leaves the others alone, so it runs the same on a database
that has them all. Migrations that have landed are never edited again; the schema changes in new revisions.

Revision ID: 0013_list_indexes_repair
Revises: 0012_public_count_index
Create Date: 2026-12-02 04:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_list_indexes_repair'
down_revision = '0012_public_count_index'
branch_labels = None
depends_on = None

LIST_INDEXES = {
    'ix_proposals_published_id': ['published_at', 'id'],
    'ix_proposals_support_id': ['support_count', 'id'],
    'ix_proposals_answered_id': ['answered_at', 'id'],
    'ix_proposals_submitted': ['submitted_at', 'council_id'],
}


def upgrade():
    present = {index['name'] for index in sa.inspect(op.get_bind()).get_indexes('proposals')}
    for name, columns in LIST_INDEXES.items():
        if name not in present:
            op.create_index(name, 'proposals', columns, unique=False)


def downgrade():
    # The indexes belong to 0011; going back to 0012 keeps them, as 0012 had them.
    pass
