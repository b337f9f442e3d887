"""What a change to a session does to the people holding seats in it.

Moving a session (its time or room), lowering its capacity below the seats taken and
cancelling it each tell the holders by e-mail, in their language, through the outbox.
A cancelled session frees its seats; a lowered capacity moves the latest-booked holders
above it to the waiting list (booking order is id order, see ``registration.seats``),
where they keep their place ahead of those who booked after them; a raised capacity gives
the new seats to the waiting list.

Everything runs in the caller's transaction; the capacity is counted only after the
session's row is locked (``seats.lock_capacity_rows``, which keeps the lock order of
registration: categories before sessions — only sessions are locked here). The returned
outbox rows are sent once the caller committed.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..mail.outbox import queue
from ..models import OutboxMessage, Registration, SeatBooking, Session, SessionStatus
from ..models.seating import seats_taken
from ..registration.seats import SEAT_HOLDING_STATUSES, lock_capacity_rows, promote_sessions

# Registrations told of a change: those holding a seat or waiting for one.
TOLD_STATUSES = (*SEAT_HOLDING_STATUSES, "waitlisted")


def lock(session: Session) -> None:
    """Lock ``session``'s capacity row until the caller commits."""
    lock_capacity_rows((), (session.id,))


def bookings(session: Session, statuses=("confirmed", "waitlisted")) -> list[SeatBooking]:
    """The standing bookings of ``session`` (by default seats and places in line) of
    registrations that still count, in booking order."""
    return list(db.session.execute(
        db.select(SeatBooking)
        .join(SeatBooking.registration)
        .options(contains_eager(SeatBooking.registration))  # one query for thousands
        .where(SeatBooking.session_id == session.id, SeatBooking.status.in_(statuses),
               Registration.status.in_(TOLD_STATUSES))
        .order_by(SeatBooking.id)
    ).scalars())


def is_held(session: Session) -> bool:
    """Whether anyone holds a seat in ``session`` or waits for one."""
    return db.session.execute(
        db.select(SeatBooking.id).where(SeatBooking.session_id == session.id,
                                        SeatBooking.status.in_(("confirmed", "waitlisted")))
        .limit(1)
    ).first() is not None


def _tell(found: list[SeatBooking], kind: str, session: Session) -> list[OutboxMessage]:
    return [row for booking in found
            if (row := queue(booking.registration, kind, session.id)) is not None]


def moved(session: Session) -> list[OutboxMessage]:
    """Tell the holders that ``session`` now takes place at another time or in another room
    (call after the change)."""
    return _tell(bookings(session), "session_moved", session)


def capacity_changed(session: Session, old: int | None) -> list[OutboxMessage]:
    """Fit the seats to ``session.capacity`` (already set; the session locked by the
    caller): seats above a lowered capacity go to the waiting list, latest booking first;
    a raised one is given to the waiting list."""
    new = session.capacity
    if new is None or new == old:
        return []
    taken = seats_taken([session.id]).get(session.id, 0)
    if taken > new:
        seated = bookings(session, ("confirmed",))
        bumped = seated[new:]
        for booking in bumped:
            booking.status = "waitlisted"
        db.session.flush()
        return _tell(bumped, "seat_waitlisted", session)
    promoted = promote_sessions([session])
    return _tell(promoted, "seat_promoted", session)


def cancel(session: Session) -> list[OutboxMessage]:
    """Cancel ``session`` (the caller locked it): it stays on the agenda marked cancelled,
    its seats and waiting list are released, and everyone who held one is told."""
    session.status = SessionStatus.CANCELLED
    mails = _tell(bookings(session), "session_cancelled", session)
    db.session.execute(  # every seat and place in line at once, those told or not
        update(SeatBooking)
        .where(SeatBooking.session_id == session.id,
               SeatBooking.status.in_(("confirmed", "waitlisted")))
        .values(status="cancelled")
    )
    db.session.flush()
    return mails
