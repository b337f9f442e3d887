"""Room-door check-in lists: sessions whose room has a limited capacity.

The main door is one list (``check_in``). Each session held in a room with a capacity is
another: a room-door entry scan puts the attendee inside that session's room, an exit
scan takes them out, and an entry when the room holds ``capacity`` people answers
``room_full``. The count and the write happen under a lock on the session row
(PostgreSQL ``SELECT … FOR UPDATE``; SQLite has one writer), so simultaneous scans at a
room door never overfill it. Every scan is logged with its session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Room, RoomOccupancy, Scan, Session
from ..models.base import utcnow
from .service import (
    MAX_GATE,
    MAX_NONCE,
    MAX_SCANNED_BY,
    SCAN_KINDS,
    AttendeeView,
    CheckinInputError,
    CheckinResult,
    NonceConflict,
    ScanKind,
    Status,
    _clean_optional,
    _decide,
    _logged_code,
)


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


def _enter(session: Session, registration_id: int, at: datetime) -> Status:
    row = db.session.execute(
        db.select(RoomOccupancy).where(
            RoomOccupancy.session_id == session.id, RoomOccupancy.registration_id == registration_id
        )
    ).scalar_one_or_none()
    if row is not None and row.inside:
        return "already_checked_in"
    if occupancy(session.id) >= session.room.capacity:
        return "room_full"
    if row is None:
        db.session.add(RoomOccupancy(session_id=session.id, registration_id=registration_id, changed_at=at))
    else:
        row.inside, row.changed_at = True, at
    return "ok"


def _leave(session: Session, registration_id: int, at: datetime) -> None:
    db.session.execute(
        db.update(RoomOccupancy)
        .where(RoomOccupancy.session_id == session.id, RoomOccupancy.registration_id == registration_id)
        .values(inside=False, changed_at=at)
        .execution_options(synchronize_session=False)
    )


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
    if kind not in SCAN_KINDS:
        raise CheckinInputError(f"kind must be one of {', '.join(SCAN_KINDS)}")
    gate = _clean_optional(gate, MAX_GATE, "gate")
    nonce = _clean_optional(nonce, MAX_NONCE, "nonce")
    scanned_by = scanned_by[:MAX_SCANNED_BY] if scanned_by else None
    logged_code = _logged_code(code)
    now = utcnow()
    at = scanned_at or now
    try:
        session = _locked_session(session_id)
        decision = _decide(code)
        status: Status = decision.status
        registration = decision.registration
        if status == "ok" and kind == "entry":
            status = _enter(session, registration.id, at)
        elif status == "ok" and kind == "exit":
            _leave(session, registration.id, at)
        attendee = AttendeeView.of(registration)
        db.session.add(
            Scan(
                conference_id=session.conference_id,
                registration_id=registration.id if registration is not None else None,
                session_id=session.id,
                code=logged_code,
                nonce=nonce,
                gate=gate,
                kind=kind,
                result=status,
                scanned_at=at,
                received_at=now,
                scanned_by=scanned_by,
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            earlier = db.session.execute(db.select(Scan).where(Scan.nonce == nonce)).scalar_one_or_none()
            if nonce is None or earlier is None:
                raise
            if earlier.code != logged_code:
                raise NonceConflict("this nonce was already used for another code") from None
            return CheckinResult(
                earlier.result, earlier.registration, None, earlier.gate, True,  # type: ignore[arg-type]
                AttendeeView.of(earlier.registration),
            )
        return CheckinResult(status, registration, None, gate, False, attendee)
    except BaseException:
        db.session.rollback()
        raise
