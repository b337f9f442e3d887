"""registration: a cancelled registration frees its e-mail address (partial unique index)

The unique constraint on (conference_id, email) becomes a unique index on the same columns
over the registrations that are not cancelled: a person who cancelled may register again
with the same address (a new registration), while every other status keeps it taken.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEX = 'uq_registration_conference_id_email_not_cancelled'
HOLDS_ITS_ADDRESS = "status <> 'cancelled'"


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_conference_id', type_='unique')
    op.create_index(
        INDEX, 'registration', ['conference_id', 'email'], unique=True,
        postgresql_where=sa.text(HOLDS_ITS_ADDRESS), sqlite_where=sa.text(HOLDS_ITS_ADDRESS),
    )


def downgrade():
    # Fails while someone who cancelled has registered again with the same address: the
    # older schema allows one registration per address, whatever its status.
    op.drop_index(INDEX, table_name='registration')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_registration_conference_id', ['conference_id', 'email'])
