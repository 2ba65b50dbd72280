"""the office's setup imports of councils, adults and units (issue 21)

Revision ID: 0019_district_imports
Revises: 0018_welcome_links
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op

from council.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0019_district_imports'
down_revision = '0018_welcome_links'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'setup_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=43), nullable=False),
        sa.Column('filenames', sa.String(length=400), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('applied_at', UTCDateTime(), nullable=True),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'],
                                name=op.f('fk_setup_imports_created_by_id_accounts')),
        sa.ForeignKeyConstraint(['applied_by_id'], ['accounts.id'],
                                name=op.f('fk_setup_imports_applied_by_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_imports')),
        sa.UniqueConstraint('token', name=op.f('uq_setup_imports_token')),
    )
    op.create_index(op.f('ix_setup_imports_created_by_id'), 'setup_imports', ['created_by_id'], unique=False)
    with op.batch_alter_table('councils') as batch_op:
        batch_op.add_column(sa.Column('area', sa.String(length=120), nullable=True))
    with op.batch_alter_table('units') as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=True))
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_accounts_phone'), ['phone'], unique=False)


def downgrade():
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_phone'))
        batch_op.drop_column('phone')
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_column('contact')
    with op.batch_alter_table('councils') as batch_op:
        batch_op.drop_column('area')
    op.drop_index(op.f('ix_setup_imports_created_by_id'), table_name='setup_imports')
    op.drop_table('setup_imports')
