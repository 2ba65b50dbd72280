"""campaigns: campaigns, entries, votes, jury scores

Revision ID: 0009_campaigns
Revises: 0008_reports
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0009_campaigns'
down_revision = '0008_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('logo', 'drawing', 'lyrics', 'slogan', 'other', name='campaignkind', native_enum=False, length=32), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('prizes', sa.Text(), nullable=False),
    sa.Column('age_groups', sa.JSON(), nullable=False),
    sa.Column('phase', sa.Enum('draft', 'open', 'reviewing', 'voting', 'judging', 'results', 'archived', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('reviewing_from', sa.Date(), nullable=False),
    sa.Column('voting_from', sa.Date(), nullable=False),
    sa.Column('judging_from', sa.Date(), nullable=False),
    sa.Column('results_from', sa.Date(), nullable=False),
    sa.Column('entries_per_child', sa.Integer(), nullable=False),
    sa.Column('votes_per_child', sa.Integer(), nullable=False),
    sa.Column('jury_weight', sa.Integer(), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('winners_per_group', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_campaigns_council_id_councils')),
    sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_campaigns_created_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_phase'), ['phase'], unique=False)

    op.create_table('campaign_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('age_group', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'approved', 'rejected', name='entrystate', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('consent_display', sa.Boolean(), nullable=False),
    sa.Column('consent_use', sa.Boolean(), nullable=False),
    sa.Column('consent_method', sa.Enum('paper', 'in_person', 'online', name='consentmethod', native_enum=False, length=32), nullable=True),
    sa.Column('consent_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', council.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('jury_score', sa.Float(), nullable=True),
    sa.Column('final_score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['accounts.id'], name=op.f('fk_campaign_entries_author_id_accounts')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_entries_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['consent_by_id'], ['accounts.id'], name=op.f('fk_campaign_entries_consent_by_id_accounts')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_campaign_entries_file_id_stored_files')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['accounts.id'], name=op.f('fk_campaign_entries_reviewed_by_id_accounts')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['accounts.id'], name=op.f('fk_campaign_entries_submitted_by_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_entries')),
    sa.UniqueConstraint('campaign_id', 'code', name=op.f('uq_campaign_entries_campaign_id_code'))
    )
    with op.batch_alter_table('campaign_entries', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_entries_author', ['campaign_id', 'author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_entries_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_jurors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_campaign_jurors_account_id_accounts')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_jurors_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_jurors')),
    sa.UniqueConstraint('campaign_id', 'account_id', name=op.f('uq_campaign_jurors_campaign_id_account_id'))
    )
    with op.batch_alter_table('campaign_jurors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_jurors_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_jurors_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_jury_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('marks', sa.JSON(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('updated_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['campaign_entries.id'], name=op.f('fk_campaign_jury_scores_entry_id_campaign_entries')),
    sa.ForeignKeyConstraint(['juror_id'], ['accounts.id'], name=op.f('fk_campaign_jury_scores_juror_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_jury_scores')),
    sa.UniqueConstraint('entry_id', 'juror_id', name=op.f('uq_campaign_jury_scores_entry_id_juror_id'))
    )
    with op.batch_alter_table('campaign_jury_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_jury_scores_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_jury_scores_juror_id'), ['juror_id'], unique=False)

    op.create_table('campaign_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', council.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_campaign_votes_account_id_accounts')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_votes_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['entry_id'], ['campaign_entries.id'], name=op.f('fk_campaign_votes_entry_id_campaign_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_votes')),
    sa.UniqueConstraint('entry_id', 'account_id', name=op.f('uq_campaign_votes_entry_id_account_id'))
    )
    with op.batch_alter_table('campaign_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_votes_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_campaign_votes_voter', ['campaign_id', 'account_id'], unique=False)


def downgrade():
    op.drop_table('campaign_votes')
    op.drop_table('campaign_jury_scores')
    op.drop_table('campaign_jurors')
    op.drop_table('campaign_entries')
    op.drop_table('campaigns')
