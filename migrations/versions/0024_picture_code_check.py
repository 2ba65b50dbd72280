"""picture codes: a keyed check of the sealed copy, so a class's cards print without a password hash per child

Printing a class's sign-in cards unseals each child's code and made sure it is the child's by checking it against
the code's password hash (scrypt): 0.12 s a child on this machine, 5 s for a class of 45, on every print.
``code_check`` holds an HMAC of the code under a key derived from SECRET_KEY and the code's salt, which answers the
same question in microseconds and, like the seal, means nothing without the key. Codes set before this revision
have none: the next print checks each once by its hash and fills it in (council/rosters/operations.py). Sign-in
still checks the hash, so printed cards keep working if SECRET_KEY changes. Idempotent.

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
