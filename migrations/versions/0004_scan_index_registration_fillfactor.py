"""scan: one index on (conference_id, scanned_at); registration: fillfactor 90 on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 16:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_conference_id'))
        batch_op.drop_index(batch_op.f('ix_scan_scanned_at'))
        batch_op.create_index('ix_scan_conference_id_scanned_at', ['conference_id', 'scanned_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Applies to pages written from now on; existing full pages keep no room until
        # the table is rewritten (VACUUM FULL), which this migration does not force.
        op.execute('ALTER TABLE registration SET (fillfactor = 90)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE registration RESET (fillfactor)')
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_index('ix_scan_conference_id_scanned_at')
        batch_op.create_index(batch_op.f('ix_scan_scanned_at'), ['scanned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_conference_id'), ['conference_id'], unique=False)
