"""calendar years: the office marks a year past the calendar package's last one complete (its holidays and make-up
working days all entered), so deadlines counted across it are no longer estimates

Revision ID: 0016_calendar_years
Revises: 0015_account_sessions
Create Date: 2026-12-02 06:00:00

"""
import sqlalchemy as sa
from alembic import op

from council.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0016_calendar_years'
down_revision = '0015_account_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_years',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('completed_by_id', sa.Integer(), nullable=True),
        sa.Column('completed_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['completed_by_id'], ['accounts.id'],
                                name=op.f('fk_calendar_years_completed_by_id_accounts')),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    )


def downgrade():
    op.drop_table('calendar_years')
