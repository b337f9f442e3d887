"""Messages composed when they are queued: those to an account (an invitation), which has
no registration to compose them from at delivery.

The outbox keeps their bytes and delivers them like any other (``_compose_once`` leaves a
composed message as it is).
"""

from __future__ import annotations

from ..extensions import db
from ..models import OutboxMessage
from .address import recipient
from .compose import new_message, to_bytes


def queue_composed(kind: str, address: str, name: str, subject: str, body: str,
                   registration_id: int | None = None) -> OutboxMessage:
    """Add the message to the caller's transaction; deliver it after the commit
    (``send_queued``)."""
    message = new_message(subject, name, address, body)
    row = OutboxMessage(
        registration_id=registration_id, kind=kind, recipient=address,
        subject=subject[:300],
        message=to_bytes(message, smtputf8=recipient(address).needs_smtputf8),
    )
    db.session.add(row)
    return row
