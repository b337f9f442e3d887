"""Room-door check-in lists: sessions whose room has a limited capacity.

The main door is one list (``check_in``). Each session held in a room with a capacity is
another: a room-door entry scan puts the attendee inside that session's room, an exit
scan takes them out, and an entry when the room holds ``capacity`` people answers
``room_full``. Someone who left comes back in only when the session's list allows
re-entry (``Session.reentry_allowed``). The count and the write happen under a lock on
the session row (PostgreSQL ``SELECT … FOR UPDATE``; SQLite has one writer), so
simultaneous scans at a room door never overfill it. A room door admits badges of its
session's conference only. Every scan is logged with its session (``scanlog``).
"""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Room, RoomOccupancy, Session
from .holders import Status, decide
from .scanlog import CheckinResult, ScanKind, ScanRequest, in_scan_transaction, scan_request


class UnknownList(LookupError):
    """No session with a limited room has this id."""


def room_lists(conference_id: int | None = None) -> list[Session]:
    """Sessions whose room has a capacity, in time order."""
    query = (
        db.select(Session)
        .join(Room, Session.room_id == Room.id)
        .where(Room.capacity.is_not(None))
        .order_by(Session.starts_at, Session.id)
    )
    if conference_id is not None:
        query = query.where(Session.conference_id == conference_id)
    return list(db.session.execute(query).scalars())


def room_list(session_id: int) -> Session:
    """The room-door list of session ``session_id``; raise ``UnknownList`` if it has none."""
    session = db.session.get(Session, session_id)
    if session is None or session.room.capacity is None:
        raise UnknownList(session_id)
    return session


def occupancy(session_id: int) -> int:
    return db.session.execute(
        db.select(db.func.count(RoomOccupancy.id)).where(
            RoomOccupancy.session_id == session_id, RoomOccupancy.inside.is_(True)
        )
    ).scalar_one()


def _locked_session(session_id: int) -> Session:
    session = db.session.execute(
        db.select(Session).where(Session.id == session_id).with_for_update()
    ).scalar_one_or_none()
    if session is None or session.room.capacity is None:
        raise UnknownList(session_id)
    return session


def _enter(session: Session, registration_id: int, at: datetime) -> tuple[Status, bool | None]:
    """(status, reentry): ``reentry`` is False when only the list's setting kept them out."""
    row = db.session.execute(
        db.select(RoomOccupancy).where(
            RoomOccupancy.session_id == session.id, RoomOccupancy.registration_id == registration_id
        )
    ).scalar_one_or_none()
    if row is not None and row.inside:
        return "already_checked_in", None
    if row is not None and not session.reentry_allowed:
        return "already_checked_in", False
    if occupancy(session.id) >= session.room.capacity:
        return "room_full", None
    if row is None:
        db.session.add(RoomOccupancy(session_id=session.id, registration_id=registration_id, changed_at=at))
    else:
        row.inside, row.changed_at = True, at
    db.session.flush()
    return "ok", None


def _leave(session: Session, registration_id: int, at: datetime) -> None:
    db.session.execute(
        db.update(RoomOccupancy)
        .where(RoomOccupancy.session_id == session.id, RoomOccupancy.registration_id == registration_id)
        .values(inside=False, changed_at=at)
        .execution_options(synchronize_session=False)
    )


def _room_door(session_id: int, scan: ScanRequest) -> tuple[CheckinResult, int | None]:
    session = _locked_session(session_id)
    decision = decide(scan.code, session.conference_id)
    holder = decision.holder
    status, reentry = decision.status, None
    if status == "ok" and scan.kind == "entry":
        status, reentry = _enter(session, holder.id, scan.at)
    elif status == "ok" and scan.kind == "exit":
        _leave(session, holder.id, scan.at)
    return CheckinResult(status, holder, None, scan.gate, reentry=reentry), session.conference_id


def room_check_in(
    code: str,
    session_id: int,
    *,
    gate: str | None,
    nonce: str | None,
    kind: ScanKind = "entry",
    scanned_by: str | None,
    scanned_at: datetime | None = None,
) -> CheckinResult:
    """Scan ``code`` at the room door of session ``session_id``; raise ``UnknownList``
    when that session has no limited room."""
    scan = scan_request(
        code, gate=gate, nonce=nonce, kind=kind, scanned_by=scanned_by, scanned_at=scanned_at
    )
    return in_scan_transaction(scan, lambda: _room_door(session_id, scan), session_id=session_id)
