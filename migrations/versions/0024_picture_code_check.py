"""picture codes: checked by an HMAC under SECRET_KEY, not by a password hash

A picture code is one of 9 x 8 x 7 = 504. Kept as a password hash (scrypt), which needs no key, it fell to 504
guesses: a reader of the database had any child's code in about a minute, and the hash cost 0.12 s at every
sign-in, print and code set (a class of 45 cards took 6 s to print). ``code_check`` holds an HMAC of the code under
a key derived from SECRET_KEY and the code's salt, like the sealed copy the card is printed from: without the key
it tells nothing, and it is checked in microseconds. New codes keep no hash (council/rosters/operations.py
``_seal``). Codes set before this revision keep their hash and get no check: their next print or sign-in checks
the hash once and seals them as new codes are. Idempotent.

Revision ID: 0024_picture_code_check
Revises: 0023_idea_milestones
Create Date: 2026-12-04 06:15:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_picture_code_check'
down_revision = '0023_idea_milestones'
branch_labels = None
depends_on = None


def _columns() -> set[str]:
    return {column['name'] for column in sa.inspect(op.get_bind()).get_columns('child_sign_ins')}


def upgrade():
    if 'code_check' not in _columns():
        with op.batch_alter_table('child_sign_ins') as batch:
            batch.add_column(sa.Column('code_check', sa.String(length=64), nullable=True))


def downgrade():
    if 'code_check' in _columns():
        with op.batch_alter_table('child_sign_ins') as batch:
            batch.drop_column('code_check')
