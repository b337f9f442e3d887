"""Who holds an e-mail address at a conference.

A cancelled registration frees its address (``ADDRESS_FREEING_STATUS``): its person may
register again with it, a new registration, while the cancelled one stays as history.
Every other status keeps the address taken — a rejected person is to contact the
organisers, not register again. A partial unique index on registration (conference_id,
email) holds the same rule.
"""

from __future__ import annotations

from ..extensions import db
from ..models import Conference, Registration
from ..models.registration import ADDRESS_FREEING_STATUS


def address_taken(conference: Conference, email: str) -> bool:
    """A registration of ``conference`` that is not cancelled holds ``email``."""
    return (
        db.session.execute(
            db.select(Registration.id).where(
                Registration.conference_id == conference.id,
                Registration.email == email,
                Registration.status != ADDRESS_FREEING_STATUS,
            )
        ).first()
        is not None
    )


def may_register_again(registration: Registration) -> bool:
    """The registration was cancelled and nobody holds its address at its conference now:
    its person may register again with it (a new registration, with a new badge)."""
    return (
        registration.status == ADDRESS_FREEING_STATUS
        and registration.email is not None
        and not address_taken(registration.conference, registration.email)
    )
