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
    pass


def downgrade():
    pass
