"""statuses and kinds: a CHECK constraint on each column that holds one of a fixed set

A value outside the set (a typo in code or a hand-written UPDATE) is refused by the
database. The sets are written out here as they are at this revision; the models hold
them as StrEnums. SQLite cannot add a constraint to a table, so there each table is
rebuilt (batch mode).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# table -> column -> allowed values
CHECKS = {
    'registration': {
        'status': ('confirmed', 'waitlisted', 'pending', 'cancelled', 'rejected'),
        'source': ('web', 'api', 'desk', 'cli'),
    },
    'seat_booking': {'status': ('confirmed', 'waitlisted', 'cancelled')},
    'scan': {
        'kind': ('entry', 'exit'),
        'result': ('ok', 'already_checked_in', 'invalid', 'revoked', 'cancelled',
                   'not_confirmed', 'room_full'),
    },
    'print_job': {'status': ('queued', 'running', 'done', 'failed')},
    'outbox_message': {'status': ('pending', 'sent', 'failed')},
    'badge_revocation': {'reason': ('cancelled', 'rejected', 'reissued')},
    'session': {'kind': ('ceremony', 'keynote', 'talk', 'forum', 'panel', 'workshop', 'break',
                         'networking')},
    'question': {'kind': ('text', 'single', 'multiple', 'checkbox')},
}


def upgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                listed = ', '.join(f"'{value}'" for value in values)
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{column}'), f'{column} IN ({listed})'
                )


def downgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
