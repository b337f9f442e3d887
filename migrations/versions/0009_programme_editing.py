"""programme editing: a version on every row organisers edit, cancelled sessions, speaker
photos and exhibitor logos, the session a programme-change e-mail is about

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

VERSIONED = ('conference', 'room', 'track', 'attendee_category', 'session', 'speaker',
             'exhibitor')


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False,
                                      server_default='scheduled'))
        batch_op.create_check_constraint(op.f('ck_session_status'),
                                        "status IN ('scheduled', 'cancelled')")
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo', sa.String(length=80), nullable=True))
    with op.batch_alter_table('exhibitor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.String(length=80), nullable=True))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_session_id_session'),
                                    'session', ['session_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_session_id_session'),
                                 type_='foreignkey')
        batch_op.drop_column('session_id')
    with op.batch_alter_table('exhibitor', schema=None) as batch_op:
        batch_op.drop_column('logo')
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.drop_column('photo')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_session_status'), type_='check')
        batch_op.drop_column('status')
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
