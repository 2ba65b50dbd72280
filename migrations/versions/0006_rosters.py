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
    pass


def downgrade():
    pass
