"""The check-in lists of a conference and their re-entry setting.

The main door is one list (its setting is ``Conference.checkin_reentry``); every session
whose room has a capacity is another (``Session.reentry_allowed``). When a list allows
no re-entry, a badge scanned out there cannot be scanned back in: the entry answers
``already_checked_in`` with ``reentry`` False.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import audit
from ..extensions import db
from ..models import Conference
from .rooms import UnknownList, occupancy, room_list, room_lists


@dataclass(frozen=True)
class CheckinList:
    session_id: int | None  # None: the main door
    title: str | None
    room: str | None
    starts_at: datetime | None
    capacity: int | None
    inside: int | None
    reentry: bool


def checkin_lists(conference: Conference | None) -> list[CheckinList]:
    """The main door first, then the room-door lists in time order."""
    main = CheckinList(None, None, None, None, None, None,
                       conference.checkin_reentry if conference is not None else True)
    rooms = room_lists(conference.id) if conference is not None else room_lists()
    return [main] + [
        CheckinList(session.id, session.t("title"), session.room.t("name"), session.starts_at,
                    session.room.capacity, occupancy(session.id), session.reentry_allowed)
        for session in rooms
    ]


def set_reentry(conference: Conference, session_id: int | None, allowed: bool) -> None:
    """Allow or refuse re-entry on the main door (``session_id`` None) or a room-door
    list of ``conference``; raise ``UnknownList`` for any other session."""
    if session_id is None:
        target, field = conference, "checkin_reentry"
    else:
        target, field = room_list(session_id), "reentry_allowed"
        if target.conference_id != conference.id:
            raise UnknownList(session_id)
    audit.record("checkin_list.reentry", target=target, summary=target.t("title" if session_id else "name"),
                 changes={"reentry": [getattr(target, field), allowed]})
    setattr(target, field, allowed)
    db.session.commit()
