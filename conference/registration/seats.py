"""Places and seats taken under a lock, waiting lists in arrival order, promotion.

Every function here runs inside the caller's transaction; the caller commits. Capacity
is counted only after the capacity rows (the category, the sessions) are locked:
``SELECT … FOR NO KEY UPDATE`` on PostgreSQL (the ``FOR UPDATE`` that still lets
other rows point at the locked one, so inserting a registration never waits on it), and on SQLite a no-op ``UPDATE`` that takes the
database's single write lock. Rows inserted under the lock get increasing ids, so id
order is arrival order on every waiting list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import update

from ..extensions import db
from ..models import AttendeeCategory, Registration, SeatBooking, Session
from ..models.base import utcnow
from ..models.seating import seats_taken

# Registration statuses that hold a place in a category with a capacity.
PLACE_HOLDING_STATUSES = ("confirmed", "pending")
# Registration statuses whose seat bookings count (or may be promoted).
SEAT_HOLDING_STATUSES = PLACE_HOLDING_STATUSES


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def lock_capacity_rows(category_ids: Iterable[int], session_ids: Iterable[int]) -> None:
    """Lock the capacity rows of these categories and sessions until commit/rollback.

    Rows are locked in a fixed order (categories, then sessions, each by id) so two
    transactions never wait on each other in a circle. The rows are read again under the
    lock (``populate_existing``): a capacity an organiser changed meanwhile is the one
    counted, not the one loaded before the lock.
    """
    categories = sorted(set(category_ids))
    sessions = sorted(set(session_ids))
    if _is_sqlite():
        # The first write of a transaction takes SQLite's one write lock.
        target_ids = categories or sessions
        table = AttendeeCategory if categories else Session
        if target_ids:
            db.session.execute(update(table).where(table.id.in_(target_ids)).values(id=table.id))
    for model, ids in ((AttendeeCategory, categories), (Session, sessions)):
        if not ids:
            continue
        statement = db.select(model).where(model.id.in_(ids)).order_by(model.id)
        if not _is_sqlite():
            statement = statement.with_for_update(key_share=True)
        db.session.execute(statement.execution_options(populate_existing=True)).all()


def places_taken(category: AttendeeCategory) -> int:
    """Registrations holding a place in ``category``."""
    return db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.category_id == category.id,
            Registration.status.in_(PLACE_HOLDING_STATUSES),
        )
    ).scalar_one()


def has_place(category: AttendeeCategory) -> bool:
    return category.capacity is None or places_taken(category) < category.capacity


def book_seats(registration: Registration, sessions: Sequence[Session]) -> list[SeatBooking]:
    """Add a booking per session: a seat while one is free, else a place in line.

    A registration that holds no place yet (waitlisted) queues for every seat; its
    bookings are tried again when it is promoted. ``registration`` must be flushed.
    """
    taken = seats_taken([s.id for s in sessions])
    holds = registration.status in SEAT_HOLDING_STATUSES
    bookings = []
    for session in sessions:
        free = session.capacity is None or taken.get(session.id, 0) < session.capacity
        booking = SeatBooking(
            registration_id=registration.id,
            session=session,
            status="confirmed" if holds and free else "waitlisted",
        )
        db.session.add(booking)  # not through the collection: no query to load it
        bookings.append(booking)
    db.session.flush()
    db.session.expire(registration, ["seat_bookings"])
    return bookings


def promote_category(category: AttendeeCategory) -> list[Registration]:
    """Give free places in ``category`` to the earliest waitlisted registrations."""
    promoted: list[Registration] = []
    if category.capacity is None:
        free = None
    else:
        free = category.capacity - places_taken(category)
    while free is None or free > 0:
        registration = db.session.execute(
            db.select(Registration)
            .where(Registration.category_id == category.id, Registration.status == "waitlisted")
            .order_by(Registration.id)
            .limit(1)
        ).scalar_one_or_none()
        if registration is None:
            break
        registration.status = "pending" if category.needs_approval else "confirmed"
        registration.promoted_at = utcnow()
        db.session.flush()
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


def promote_sessions(sessions: Iterable[Session]) -> list[SeatBooking]:
    """Give free seats to the earliest waitlisted bookings of holders of a place."""
    promoted: list[SeatBooking] = []
    for session in sorted(set(sessions), key=lambda s: s.id):
        if session.capacity is None:
            continue
        free = session.capacity - seats_taken([session.id]).get(session.id, 0)
        if free <= 0:
            continue
        waiting = (
            db.session.execute(
                db.select(SeatBooking)
                .join(Registration, Registration.id == SeatBooking.registration_id)
                .where(
                    SeatBooking.session_id == session.id,
                    SeatBooking.status == "waitlisted",
                    Registration.status.in_(SEAT_HOLDING_STATUSES),
                )
                .order_by(SeatBooking.id)
                .limit(free)
            )
            .scalars()
            .all()
        )
        for booking in waiting:
            booking.status = "confirmed"
            booking.promoted_at = utcnow()
            promoted.append(booking)
    db.session.flush()
    return promoted


def release(registration: Registration) -> list[Session]:
    """Cancel every booking of ``registration``; the sessions whose seat was freed."""
    freed = []
    for booking in registration.seat_bookings:
        if booking.status == "confirmed":
            freed.append(booking.session)
        booking.status = "cancelled"
    db.session.flush()
    return freed


def waitlist_position(booking: SeatBooking) -> int | None:
    """1 for the next person in line for the booking's session; None for a seat."""
    if booking.status != "waitlisted":
        return None
    ahead = db.session.execute(
        db.select(db.func.count(SeatBooking.id)).where(
            SeatBooking.session_id == booking.session_id,
            SeatBooking.status == "waitlisted",
            SeatBooking.id < booking.id,
        )
    ).scalar_one()
    return ahead + 1
