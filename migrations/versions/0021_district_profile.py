"""the district the platform serves, as data (issue 21)

Revision ID: 0021_district_profile
Revises: 0020_plan_versions
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0021_district_profile'
down_revision = '0020_plan_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "district_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=True),
        sa.Column("place", sa.String(length=60), nullable=False),
        sa.Column("place_en", sa.String(length=120), nullable=True),
        sa.Column("platform_title", sa.String(length=120), nullable=False),
        sa.Column("platform_title_en", sa.String(length=200), nullable=True),
        sa.Column("office_name", sa.String(length=120), nullable=False),
        sa.Column("office_name_en", sa.String(length=200), nullable=True),
        sa.Column("committee_name", sa.String(length=120), nullable=False),
        sa.Column("committee_name_en", sa.String(length=200), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("mail_from_name", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_profile")),
        sa.UniqueConstraint("code", name=op.f("uq_district_profile_code")),
    )


def downgrade():
    op.drop_table("district_profile")
