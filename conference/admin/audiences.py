"""Who an announcement reaches: confirmed registrations with an e-mail address, all of
them or those of one category or holding a seat in one session, narrowed by whether they
have checked in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from ..extensions import db
from ..models import Arrival, Audience, Conference, Registration, SeatBooking


@dataclass(frozen=True)
class Recipients:
    audience: str = Audience.ALL
    category_id: int | None = None
    session_id: int | None = None
    arrival: str = Arrival.ANY


def _select(conference: Conference, chosen: Recipients, *columns) -> Select:
    statement = db.select(*columns).where(
        Registration.conference_id == conference.id,
        Registration.status == "confirmed",
        Registration.email.is_not(None),
    )
    if chosen.audience == Audience.CATEGORY:
        statement = statement.where(Registration.category_id == chosen.category_id)
    elif chosen.audience == Audience.SESSION:
        statement = statement.where(Registration.id.in_(
            db.select(SeatBooking.registration_id).where(
                SeatBooking.session_id == chosen.session_id, SeatBooking.status == "confirmed")))
    if chosen.arrival == Arrival.CHECKED_IN:
        statement = statement.where(Registration.checked_in_at.is_not(None))
    elif chosen.arrival == Arrival.NOT_CHECKED_IN:
        statement = statement.where(Registration.checked_in_at.is_(None))
    return statement


def count_recipients(conference: Conference, chosen: Recipients) -> int:
    return db.session.scalar(_select(conference, chosen, db.func.count(Registration.id))) or 0


def recipient_addresses(conference: Conference, chosen: Recipients) -> list[tuple[int, str]]:
    """(registration id, e-mail address) of each recipient, in order of registration."""
    return [tuple(row) for row in db.session.execute(
        _select(conference, chosen, Registration.id, Registration.email).order_by(Registration.id))]
