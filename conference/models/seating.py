"""Seat bookings: one registration's pick of one limited session, or its place in line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import one_of, utcnow

if TYPE_CHECKING:
    from .programme import Session
    from .registration import Registration


class SeatStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class SeatBooking(db.Model):
    """A seat (``confirmed``) or a place on the session's waiting list (``waitlisted``).

    Rows are inserted while the session row is locked, so ``id`` order is arrival order.
    """

    __table_args__ = (
        UniqueConstraint("registration_id", "session_id"),
        one_of("status", SeatStatus),
        # The seats a session holds, counted under its lock by every booking.
        Index("ix_seat_booking_session_id_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=SeatStatus.CONFIRMED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="seat_bookings")
    session: Mapped[Session] = relationship()


def seats_taken(session_ids: Sequence[int]) -> dict[int, int]:
    """Confirmed seats per session id (sessions without any are left out)."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(SeatBooking.session_id, db.func.count(SeatBooking.id))
        .where(SeatBooking.session_id.in_(session_ids), SeatBooking.status == "confirmed")
        .group_by(SeatBooking.session_id)
    ).all()
    return {session_id: count for session_id, count in rows}
