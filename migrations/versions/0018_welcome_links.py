"""one-time links with which a new adult sets a password (issue 21)

Revision ID: 0018_welcome_links
Revises: 0017_message_delivery
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op

import council.db

# revision identifiers, used by Alembic.
revision = '0018_welcome_links'
down_revision = '0017_message_delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'welcome_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', council.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', council.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', council.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_welcome_links_account_id_accounts')),
        sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'],
                                name=op.f('fk_welcome_links_created_by_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_welcome_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_welcome_links_token_hash')),
    )
    with op.batch_alter_table('welcome_links') as batch_op:
        batch_op.create_index(batch_op.f('ix_welcome_links_account_id'), ['account_id'], unique=False)


def downgrade():
    with op.batch_alter_table('welcome_links') as batch_op:
        batch_op.drop_index(batch_op.f('ix_welcome_links_account_id'))
    op.drop_table('welcome_links')
