"""scale: indexes for the public list's keyset pages (newest, most supported) the newest answers and a year's ideas

Revision ID: 0011_list_indexes
Revises: 0010_indicators
Create Date: 2026-11-29 06:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_list_indexes'
down_revision = '0010_indicators'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_published_id', ['published_at', 'id'], unique=False)
        batch_op.create_index('ix_proposals_support_id', ['support_count', 'id'], unique=False)
        batch_op.create_index('ix_proposals_answered_id', ['answered_at', 'id'], unique=False)
        batch_op.create_index('ix_proposals_submitted', ['submitted_at', 'council_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_submitted')
        batch_op.drop_index('ix_proposals_answered_id')
        batch_op.drop_index('ix_proposals_support_id')
        batch_op.drop_index('ix_proposals_published_id')
