"""user: a session generation, so that logout and a password change end every session

Every session and remember-me cookie carries the account's generation; raising it on
logout or a password change makes all of them invalid at once, on every device.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
