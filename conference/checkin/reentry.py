"""Refused re-entries: someone who left through a list that allows no re-entry.

A door answers such an entry scan ``already_checked_in`` with ``reentry: false``, so the
scanner can say why. The same question is asked again when a replayed scan is answered
from the log (``scanlog.answer_from_log``): the log keeps the status, and this module
tells, from the current state, whether it was a refused re-entry.
"""

from __future__ import annotations

from ..extensions import db
from ..models import Presence, RoomOccupancy, Session

_presence = Presence.__table__
_occupancy = RoomOccupancy.__table__
_session = Session.__table__

_LEFT_MAIN_DOOR = db.select(_presence.c.registration_id).where(
    _presence.c.registration_id == db.bindparam("rid"), _presence.c.inside.is_(False)
)
_LEFT_ROOM_REFUSING_REENTRY = (
    db.select(_occupancy.c.id)
    .join(_session, _session.c.id == _occupancy.c.session_id)
    .where(
        _occupancy.c.session_id == db.bindparam("sid"),
        _occupancy.c.registration_id == db.bindparam("rid"),
        _occupancy.c.inside.is_(False),
        _session.c.reentry_allowed.is_(False),
    )
)


def left_main_door(registration_id: int) -> bool:
    """True when the attendee's last main-door scan was an exit."""
    return db.session.connection().execute(
        _LEFT_MAIN_DOOR, {"rid": registration_id}
    ).first() is not None


def refused_reentry(registration_id: int, session_id: int | None, main_door_reentry: bool) -> bool | None:
    """False (as the API's ``reentry``) when an entry through this list — the main door
    for ``session_id`` None, else that session's room door — is refused only because the
    attendee left and the list allows no re-entry; None otherwise."""
    if session_id is None:
        refused = not main_door_reentry and left_main_door(registration_id)
    else:
        refused = db.session.connection().execute(
            _LEFT_ROOM_REFUSING_REENTRY, {"sid": session_id, "rid": registration_id}
        ).first() is not None
    return False if refused else None
