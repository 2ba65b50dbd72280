"""rosters: class rosters, child sign-in codes, online consent invitations

Revision ID: 0006_rosters
Revises: 0005_tasks
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0006_rosters'
down_revision = '0005_tasks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('class_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('failures_since', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_until', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_class_groups_council_id_councils')),
    sa.ForeignKeyConstraint(['teacher_id'], ['accounts.id'], name=op.f('fk_class_groups_teacher_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_groups')),
    sa.UniqueConstraint('code', name=op.f('uq_class_groups_code'))
    )
    with op.batch_alter_table('class_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_groups_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_groups_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('child_sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('avatar', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=256), nullable=False),
    sa.Column('code_salt', sa.String(length=32), nullable=False),
    sa.Column('code_sealed', sa.String(length=16), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('code_issued_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_child_sign_ins_account_id_accounts')),
    sa.ForeignKeyConstraint(['class_id'], ['class_groups.id'], name=op.f('fk_child_sign_ins_class_id_class_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_sign_ins')),
    sa.UniqueConstraint('account_id', name=op.f('uq_child_sign_ins_account_id'))
    )
    with op.batch_alter_table('child_sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_sign_ins_class_id'), ['class_id'], unique=False)

    op.create_table('roster_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['class_groups.id'], name=op.f('fk_roster_imports_class_id_class_groups')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['accounts.id'], name=op.f('fk_roster_imports_uploaded_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_roster_imports_token'))
    )
    with op.batch_alter_table('roster_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_imports_class_id'), ['class_id'], unique=False)

    op.create_table('consent_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['accounts.id'], name=op.f('fk_consent_invitations_child_id_accounts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_consent_invitations_created_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_consent_invitations_token_hash'))
    )
    with op.batch_alter_table('consent_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_invitations_child_id'), ['child_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consent_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_invitations_child_id'))
    op.drop_table('consent_invitations')
    with op.batch_alter_table('roster_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_imports_class_id'))
    op.drop_table('roster_imports')
    with op.batch_alter_table('child_sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_sign_ins_class_id'))
    op.drop_table('child_sign_ins')
    with op.batch_alter_table('class_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_groups_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_class_groups_council_id'))
    op.drop_table('class_groups')
