"""ideas: the first adoption and the first sending to units, dated on the idea

The statistics and the home page count a year's ideas adopted and sent to units. They asked the event log, idea by
idea (``id IN (SELECT subject_id FROM events WHERE action = …)``): at scale 100 on SQLite the home page's headline
figures took 116–140 ms, 25–32 ms of them without those two look-ups. ``adopted_at`` and ``routed_at`` hold the
time of each idea's first ``proposal_adopted`` and ``proposal_routed`` event (written with the event from now on,
council/proposals/operations.py ``move``); this revision fills them from the event log, and
ix_proposals_statistics takes them in, so a year is counted from the index alone again. Idempotent: a database
that has the columns keeps them, and the index is rebuilt only when its columns differ.

Revision ID: 0023_idea_milestones
Revises: 0022_statistics_index
Create Date: 2026-12-04 01:30:00

"""
import sqlalchemy as sa
from alembic import op

import council.db


# revision identifiers, used by Alembic.
revision = '0023_idea_milestones'
down_revision = '0022_statistics_index'
branch_labels = None
depends_on = None

MILESTONES = {'adopted_at': 'proposal_adopted', 'routed_at': 'proposal_routed'}
BEFORE = ['submitted_at', 'council_id', 'plan_task_id', 'state', 'hidden_at', 'answered_at', 'id']
AFTER = ['submitted_at', 'council_id', 'plan_task_id', 'state', 'hidden_at', 'answered_at', 'adopted_at',
         'routed_at', 'id']


def _statistics_index(columns: list[str]) -> None:
    inspector = sa.inspect(op.get_bind())
    present = {index['name']: index['column_names'] for index in inspector.get_indexes('proposals')}
    if present.get('ix_proposals_statistics') == columns:
        return
    if 'ix_proposals_statistics' in present:
        op.drop_index('ix_proposals_statistics', table_name='proposals')
    op.create_index('ix_proposals_statistics', 'proposals', columns, unique=False)


def upgrade():
    present = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('proposals')}
    with op.batch_alter_table('proposals') as batch:
        for column in MILESTONES:
            if column not in present:
                batch.add_column(sa.Column(column, council.db.UTCDateTime(timezone=True), nullable=True))
    for column, action in MILESTONES.items():
        op.execute(sa.text(
            f"UPDATE proposals SET {column} = (SELECT min(events.created_at) FROM events "
            f"WHERE events.subject_type = 'proposals' AND events.action = :action "
            f"AND events.subject_id = proposals.id) WHERE {column} IS NULL").bindparams(action=action))
    _statistics_index(AFTER)


def downgrade():
    _statistics_index(BEFORE)
    with op.batch_alter_table('proposals') as batch:
        for column in MILESTONES:
            batch.drop_column(column)
