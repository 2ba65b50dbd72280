"""privacy: guardian data requests, event log protection

Revision ID: 0007_privacy
Revises: 0006_rosters
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0007_privacy'
down_revision = '0006_rosters'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
