"""sessions: signed-in sessions kept on the server, so signing out, a new password or picture code, or switching an
account off ends them on every device

Revision ID: 0015_account_sessions
Revises: 0014_mail_outbox
Create Date: 2026-12-02 05:00:00

"""
import sqlalchemy as sa
from alembic import op

from council.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0015_account_sessions'
down_revision = '0014_mail_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.Column('ended_why', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_sessions_account_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_sessions')),
        sa.UniqueConstraint('key', name=op.f('uq_account_sessions_key')),
    )
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_sessions_account_id'), ['account_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_sessions_account_id'))
    op.drop_table('account_sessions')
