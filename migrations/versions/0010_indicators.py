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
    pass


def downgrade():
    pass
