"""statistics: one index covers a year's ideas with every column the statistics count

The statistics page counts a year's ideas by council and plan task (raised, public, adopted, routed, answered,
closed) and by month. ix_proposals_submitted (submitted_at, council_id) found the year's ideas but left every
other column to be read from the table, idea by idea: 45,000 ideas in 0.2 s on SQLite at scale 100. This index
holds them all, so the count reads the index alone (0.05 s); it replaces ix_proposals_submitted, whose columns
it starts with. Idempotent: a database that has either index already keeps it.

Revision ID: 0022_statistics_index
Revises: 0021_district_profile
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_statistics_index'
down_revision = '0021_district_profile'
branch_labels = None
depends_on = None

COLUMNS = ['submitted_at', 'council_id', 'plan_task_id', 'state', 'hidden_at', 'answered_at', 'id']


def _present() -> set[str]:
    return {index['name'] for index in sa.inspect(op.get_bind()).get_indexes('proposals')}


def upgrade():
    present = _present()
    if 'ix_proposals_statistics' not in present:
        op.create_index('ix_proposals_statistics', 'proposals', COLUMNS, unique=False)
    if 'ix_proposals_submitted' in present:
        op.drop_index('ix_proposals_submitted', table_name='proposals')


def downgrade():
    present = _present()
    if 'ix_proposals_submitted' not in present:
        op.create_index('ix_proposals_submitted', 'proposals', ['submitted_at', 'council_id'], unique=False)
    if 'ix_proposals_statistics' in present:
        op.drop_index('ix_proposals_statistics', table_name='proposals')
