"""PostgreSQL's autovacuum keeps up with the ideas and their search pieces

The statistics page, the list's totals and search read these two tables' indexes alone (index-only scans:
``ix_proposals_statistics``, ``ix_proposals_public``, ``ix_proposal_search_terms_term``). Such a scan skips the
table only on pages the visibility map marks all-visible, and every support, state change or edit leaves a page
that is not until the table is vacuumed. By default autovacuum waits until a fifth of a table's rows have changed:
on the scale-100 district, 20,353 dead rows of 106,087 had not yet called it, 31 % of the ideas' pages were not
all-visible, and PostgreSQL read the whole table for the year's statistics instead of their index (their statements
136 ms; 75 ms once vacuumed, docs/performance.md). Here it comes after 2 % (plus its base threshold of 50 rows),
for changed and for inserted rows, and the planner's statistics are renewed as often. Nothing on SQLite, which has
no visibility map. Idempotent.

Revision ID: 0025_autovacuum_keeps_up
Revises: 0024_picture_code_check
Create Date: 2026-12-04 12:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_autovacuum_keeps_up'
down_revision = '0024_picture_code_check'
branch_labels = None
depends_on = None

TABLES = ('proposals', 'proposal_search_terms')
SETTINGS = ('autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_insert_scale_factor',
            'autovacuum_analyze_scale_factor')


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if _postgresql():
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} SET ({', '.join(f'{name} = 0.02' for name in SETTINGS)})")


def downgrade():
    if _postgresql():
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")
