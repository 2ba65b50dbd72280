"""plan versions: which plan is current, and old tasks mapped to new ones (issue 21)

Revision ID: 0020_plan_versions
Revises: 0019_district_imports
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op

from council.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0020_plan_versions'
down_revision = '0019_district_imports'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('plans', sa.Column('fingerprint', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_plans_version'), 'plans', ['version'], unique=True)
    op.create_table(
        'plan_task_successors',
        sa.Column('old_task_id', sa.Integer(), nullable=False),
        sa.Column('new_task_id', sa.Integer(), nullable=False),
        sa.Column('mapped_by_id', sa.Integer(), nullable=True),
        sa.Column('mapped_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['old_task_id'], ['plan_tasks.id'],
                                name=op.f('fk_plan_task_successors_old_task_id_plan_tasks')),
        sa.ForeignKeyConstraint(['new_task_id'], ['plan_tasks.id'],
                                name=op.f('fk_plan_task_successors_new_task_id_plan_tasks')),
        sa.ForeignKeyConstraint(['mapped_by_id'], ['accounts.id'],
                                name=op.f('fk_plan_task_successors_mapped_by_id_accounts')),
        sa.PrimaryKeyConstraint('old_task_id', name=op.f('pk_plan_task_successors')),
    )
    op.create_index(op.f('ix_plan_task_successors_new_task_id'), 'plan_task_successors', ['new_task_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_plan_task_successors_new_task_id'), table_name='plan_task_successors')
    op.drop_table('plan_task_successors')
    op.drop_index(op.f('ix_plans_version'), table_name='plans')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')
