"""registration, seat_booking: indexes for 100,000 registrations

The places a category holds and the seats a session holds are counted under their locks
by every registration: (category_id, status) and (session_id, status) make those counts
index-only.

A page in order of registration and the counts per status read (conference_id, id) and
(conference_id, status); the search ("contains", any case) uses trigram indexes on
PostgreSQL (the pg_trgm extension), plain ones on SQLite. None covers a column a check-in
changes, so check-ins stay HOT updates.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 11:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SEARCHED = ('name', 'email', 'organisation')


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index('ix_registration_conference_id_id', ['conference_id', 'id'])
        batch_op.create_index('ix_registration_conference_id_status', ['conference_id', 'status'])
        batch_op.create_index('ix_registration_category_id_status', ['category_id', 'status'])
        for column in SEARCHED:
            if postgresql:
                batch_op.create_index(f'ix_registration_{column}_trgm', [column],
                                      postgresql_using='gin',
                                      postgresql_ops={column: 'gin_trgm_ops'})
            else:
                batch_op.create_index(f'ix_registration_{column}_trgm', [column])
    with op.batch_alter_table('seat_booking', schema=None) as batch_op:
        batch_op.create_index('ix_seat_booking_session_id_status', ['session_id', 'status'])


def downgrade():
    with op.batch_alter_table('seat_booking', schema=None) as batch_op:
        batch_op.drop_index('ix_seat_booking_session_id_status')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        for column in reversed(SEARCHED):
            batch_op.drop_index(f'ix_registration_{column}_trgm')
        batch_op.drop_index('ix_registration_category_id_status')
        batch_op.drop_index('ix_registration_conference_id_status')
        batch_op.drop_index('ix_registration_conference_id_id')
