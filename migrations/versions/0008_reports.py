"""reports: help requests and content flags

Revision ID: 0008_reports
Revises: 0007_privacy
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0008_reports'
down_revision = '0007_privacy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('adult', 'page', 'unsafe', 'other', name='helpkind', native_enum=False, length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('page_path', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('open', 'seen', 'closed', name='helpstatus', native_enum=False, length=32), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_help_requests_account_id_accounts')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_help_requests_council_id_councils')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['accounts.id'], name=op.f('fk_help_requests_handled_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_help_requests_submission_key'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_help_requests_council_status', ['council_id', 'status'], unique=False)

    op.create_table('content_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('personal_info', 'unkind', 'not_true', 'other', name='flagreason', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('open', 'kept', 'removed', name='flagstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_content_flags_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_flags')),
    sa.UniqueConstraint('target_type', 'target_id', 'account_id', name=op.f('uq_content_flags_target_type_target_id_account_id'))
    )
    with op.batch_alter_table('content_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_flags_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_content_flags_target_status', ['target_type', 'target_id', 'status'], unique=False)

    op.create_table('flag_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('open', 'kept', 'removed', name='flagstatus', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['accounts.id'], name=op.f('fk_flag_reviews_decided_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_reviews'))
    )
    with op.batch_alter_table('flag_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_flag_reviews_target', ['target_type', 'target_id'], unique=False)

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', council.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('flag_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_reviews_target')
    op.drop_table('flag_reviews')

    with op.batch_alter_table('content_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_content_flags_target_status')
        batch_op.drop_index(batch_op.f('ix_content_flags_account_id'))
    op.drop_table('content_flags')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_council_status')
        batch_op.drop_index(batch_op.f('ix_help_requests_created_at'))
        batch_op.drop_index(batch_op.f('ix_help_requests_account_id'))
    op.drop_table('help_requests')
