"""reports: help requests and content flags

Revision ID: 0008_reports
Revises: 0007_privacy
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import council.db


# revision identifiers, used by Alembic.
revision = '0008_reports'
down_revision = '0007_privacy'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
