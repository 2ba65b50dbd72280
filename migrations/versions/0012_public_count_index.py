"""scale: an index covering the public list's count, so counting a million ideas reads the index alone

Revision ID: 0012_public_count_index
Revises: 0011_list_indexes
Create Date: 2026-11-29 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_public_count_index'
down_revision = '0011_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_public', ['state', 'hidden_at', 'published_at'], unique=False)


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_public')
