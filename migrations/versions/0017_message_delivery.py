"""message delivery: an adult chooses per kind of message whether a mail goes at once, in a daily digest or not at
all; messages waiting for the digest are marked

Revision ID: 0017_message_delivery
Revises: 0016_calendar_years
Create Date: 2026-12-02 13:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_message_delivery'
down_revision = '0016_calendar_years'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification_preferences',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=48), nullable=False),
        sa.Column('delivery', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_notification_preferences_account_id_accounts')),
        sa.PrimaryKeyConstraint('account_id', 'kind', name=op.f('pk_notification_preferences')),
    )
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.add_column(sa.Column('digest_due', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_notifications_digest_due', ['account_id'], unique=False,
                              sqlite_where=sa.text('digest_due'), postgresql_where=sa.text('digest_due'))


def downgrade():
    with op.batch_alter_table('notifications') as batch_op:
        batch_op.drop_index('ix_notifications_digest_due')
        batch_op.drop_column('digest_due')
    op.drop_table('notification_preferences')
