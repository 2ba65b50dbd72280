"""indicators: plan indicators and unit reports

Revision ID: 0010_indicators
Revises: 0009_campaigns
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0010_indicators'
down_revision = '0009_campaigns'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=True),
    sa.Column('comparison', sa.Enum('at_least', 'at_most', 'change_per_year', 'milestone', name='comparison', native_enum=False, length=32), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('unit_en', sa.String(length=80), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Integer(), nullable=False),
    sa.Column('deadline_in_text', sa.Boolean(), nullable=False),
    sa.Column('frequency', sa.Enum('year', 'half', name='frequency', native_enum=False, length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_indicators_plan_id_plans')),
    sa.ForeignKeyConstraint(['task_id'], ['plan_tasks.id'], name=op.f('fk_indicators_task_id_plan_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_indicators_plan_id_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_task_id'), ['task_id'], unique=False)

    op.create_table('indicator_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('evidence_description', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'confirmed', 'returned', name='reportstate', native_enum=False, length=32), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['accounts.id'], name=op.f('fk_indicator_reports_decided_by_id_accounts')),
    sa.ForeignKeyConstraint(['evidence_id'], ['stored_files.id'], name=op.f('fk_indicator_reports_evidence_id_stored_files')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_reports_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['replaces_id'], ['indicator_reports.id'], name=op.f('fk_indicator_reports_replaces_id_indicator_reports')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['accounts.id'], name=op.f('fk_indicator_reports_reported_by_id_accounts')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_indicator_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_reports'))
    )
    with op.batch_alter_table('indicator_reports', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_reports_indicator_period', ['indicator_id', 'year', 'half'], unique=False)
        batch_op.create_index('uq_indicator_reports_waiting', ['indicator_id', 'year', 'half'], unique=True,
                              sqlite_where=sa.text("state = 'submitted'"),
                              postgresql_where=sa.text("state = 'submitted'"))


def downgrade():
    with op.batch_alter_table('indicator_reports', schema=None) as batch_op:
        batch_op.drop_index('uq_indicator_reports_waiting')
        batch_op.drop_index('ix_indicator_reports_indicator_period')

    op.drop_table('indicator_reports')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_task_id'))

    op.drop_table('indicators')
