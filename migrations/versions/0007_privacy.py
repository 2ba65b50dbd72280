"""privacy: guardian data requests, event log protection

Revision ID: 0007_privacy
Revises: 0006_rosters
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db
from council.audit.protection import protect, unprotect


# revision identifiers, used by Alembic.
revision = '0007_privacy'
down_revision = '0006_rosters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('export', 'deletion', name='requestkind', native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('received', 'done', 'refused', 'cancelled', name='requeststatus', native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('requester_name', sa.String(length=64), nullable=False),
    sa.Column('relation', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.Enum('paper', 'in_person', 'phone', 'online', 'platform', name='requestchannel', native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['accounts.id'], name=op.f('fk_data_requests_child_id_accounts')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_data_requests_council_id_councils')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['accounts.id'], name=op.f('fk_data_requests_handled_by_id_accounts')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['accounts.id'], name=op.f('fk_data_requests_recorded_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests'))
    )
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_requests_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_requests_council_id'), ['council_id'], unique=False)
        batch_op.create_index('ix_data_requests_status_kind', ['status', 'kind'], unique=False)

    op.create_table('anonymous_authors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_anonymous_authors_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymous_authors'))
    )
    with op.batch_alter_table('anonymous_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anonymous_authors_proposal_id'), ['proposal_id'], unique=False)

    # The event log refuses UPDATE and DELETE in the database itself (council/audit/protection.py).
    protect(op.get_bind())


def downgrade():
    unprotect(op.get_bind())
    with op.batch_alter_table('anonymous_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymous_authors_proposal_id'))

    op.drop_table('anonymous_authors')
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_data_requests_status_kind')
        batch_op.drop_index(batch_op.f('ix_data_requests_council_id'))
        batch_op.drop_index(batch_op.f('ix_data_requests_child_id'))

    op.drop_table('data_requests')
