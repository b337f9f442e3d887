"""A registration's life: registered, approved or rejected, sessions and details changed,
cancelled — the rules shared by the web form, the JSON API, the desk, the organisers' pages
and commands, and tests.

``register`` checks and cleans what a person typed (``validation``), decides the status
from the category, and commits the registration before returning it, so anything that
follows (an e-mail, a badge) works on a stored row. Places and seats are taken under a
lock on their capacity rows (see ``seats``); a full category or session puts the person on
its waiting list in arrival order, and ``cancel`` hands the freed place and seats to the
next in line. Every function here commits once; the messages it queued in the outbox go
out after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..extensions import db
from ..mail.outbox import queue, send_queued
from ..models import Conference, OutboxMessage, Registration, SeatBooking, Session
from ..models.base import utcnow
from ..models.registration import REGISTRATION_SOURCES, address_taken
from . import seats
from .questions import store_answers
from .validation import (
    DetailsData,
    DuplicateEmail,
    InvalidRegistration,
    RegistrationData,
    RegistrationError,
    bookable_sessions,
    check_details,
    check_registration,
    resolve_sessions,
)

# Sources of registrations made by staff, who may register people outside a category's
# online registration window: a walk-in at the desk on the day, and "cli" for a script the
# organisers run themselves (no command of the application registers anyone).
STAFF_SOURCES = frozenset({"desk", "cli"})
# Statuses in which the attendee may still change picks and details.
ACTIVE_STATUSES = ("confirmed", "pending", "waitlisted")
# Final statuses: nothing moves any more.
ENDED_STATUSES = ("cancelled", "rejected")


def _duplicate() -> DuplicateEmail:
    return DuplicateEmail(
        gettext(
            "This e-mail address is already registered for this conference. Use the link "
            "you received when you registered, or contact the organisers."
        )
    )


def _limited_session_ids(sessions: list[Session]) -> list[int]:
    return [s.id for s in sessions if s.capacity is not None]


def register(
    conference: Conference,
    data: RegistrationData,
    *,
    source: str = "web",
    skip_questions: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Register a person for ``conference`` and commit.

    The status is ``pending`` for a category that needs approval, ``waitlisted`` when the
    category is full, else ``confirmed``; each picked session gets a seat or a place on
    its waiting list; answers to the extra questions are stored with the registration.
    Raises ``InvalidRegistration`` (with per-field messages) or ``DuplicateEmail`` (a
    registration of the conference that is not cancelled holds the address); nothing is
    stored then. After a cancellation the same address registers again as a new
    registration, with a new manage link and a new badge.

    ``source`` (web, api, desk, cli) is stored. Registrations by staff (desk, cli) may use
    any category, also those not offered online, and are not bound by its registration
    window, which is checked at ``now`` (default: the current time). ``skip_questions`` leaves the extra questions out altogether (a
    walk-in at the desk): they are neither checked nor stored.
    """
    if source not in REGISTRATION_SOURCES:
        raise ValueError(f"unknown registration source {source!r}")
    clean = check_registration(
        conference,
        data,
        ask_questions=not skip_questions,
        window_at=None if source in STAFF_SOURCES else (now or utcnow()),
        staff=source in STAFF_SOURCES,
    )
    category = clean.category
    # A second registration with an address that a registration not cancelled holds is
    # caught by the partial unique index on (conference_id, email) when the row is
    # inserted, which saves a query on every first registration.
    try:
        seats.lock_capacity_rows(
            [category.id] if category.capacity is not None else [],
            _limited_session_ids(clean.sessions),
        )
        if not seats.has_place(category):
            status = "waitlisted"
        else:
            status = "pending" if category.needs_approval else "confirmed"
        registration = Registration(
            conference=conference,
            category=category,
            name=clean.name,
            email=clean.email,
            organisation=clean.organisation,
            job_title=clean.job_title or None,
            phone=clean.phone or None,
            status=status,
            language=clean.language,
            consent_at=utcnow(),
            source=source,
        )
        if clean.answers:
            store_answers(registration, clean.answers)
        db.session.add(registration)
        db.session.flush()
        bookings = seats.book_seats(registration, clean.sessions)
        # The new registration holds exactly these bookings: no need to load them again.
        set_committed_value(registration, "seat_bookings", bookings)
        message = queue(registration, status)
        _commit_keeping_loaded()
    except IntegrityError:
        db.session.rollback()
        if address_taken(conference, clean.email):
            raise _duplicate() from None
        raise
    send_queued([message])
    return registration


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds.

    What was just written is what the caller shows next (status, seats, the badge code),
    so reloading every object after the commit would only cost round trips.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def lock_what_may_move(registrations: Sequence[Registration]) -> None:
    """Lock the registrations' categories and every limited session of their conference,
    in the one order, and read the registrations again under the lock.

    Ending a registration may promote someone whose picks differ from its own, so all
    limited sessions are locked; cancellations are rare next to registrations.
    """
    seats.lock_capacity_rows(
        [registration.category_id for registration in registrations],
        _limited_session_ids(bookable_sessions(registrations[0].conference)),
    )
    for registration in registrations:
        db.session.refresh(registration)


@dataclass
class Freed:
    """What a cancellation or rejection moved: who got a place or a seat."""

    registrations: list[Registration]
    bookings: list[SeatBooking]


def end(registration: Registration, new_status: str) -> Freed:
    """Give ``registration`` its final status (cancelled, rejected) in the caller's
    transaction, under ``lock_what_may_move``: the badge stops working, its place and
    seats go to the next people in line. Nobody is told yet (``queue_moved_up``)."""
    held_place = registration.status in seats.PLACE_HOLDING_STATUSES
    registration.status = new_status
    registration.badge_version += 1
    freed_sessions = seats.release(registration)
    promoted = seats.promote_category(registration.category) if held_place else []
    sessions = set(freed_sessions)
    for person in promoted:
        sessions.update(b.session for b in person.seat_bookings if b.status == "waitlisted")
    bookings = seats.promote_sessions(sessions)
    return Freed(promoted, bookings)


def queue_moved_up(freed: Freed, told: set[int]) -> list[OutboxMessage | None]:
    """Queue the message to everyone who moved up, once each, except the registrations
    in ``told`` (ids), which is extended with those told now."""
    rows = []
    for person in freed.registrations:
        if person.id not in told:
            told.add(person.id)
            rows.append(queue(person, "promoted"))
    for booking in freed.bookings:
        if booking.registration_id not in told:
            told.add(booking.registration_id)
            rows.append(queue(booking.registration, "seat_promoted"))
    return rows


def _queue_news(registration: Registration, kind: str, freed: Freed) -> list:
    """Queue the message to ``registration`` and to everyone who moved up."""
    return [queue(registration, kind), *queue_moved_up(freed, {registration.id})]


def cancel(registration: Registration) -> Freed:
    """Cancel ``registration`` and commit: the badge stops working, its place and seats
    go to the next people in line. Cancelling twice changes nothing."""
    lock_what_may_move([registration])
    if registration.status in ENDED_STATUSES:
        db.session.rollback()
        return Freed([], [])
    freed = end(registration, "cancelled")
    # The message says the place or seats went to people waiting only when they did.
    passed_on = bool(freed.registrations or freed.bookings)
    messages = _queue_news(registration, "cancelled_passed_on" if passed_on else "cancelled", freed)
    db.session.commit()
    send_queued(messages)
    return freed


def approve(registration: Registration) -> bool:
    """Confirm a pending registration and commit; False when it was not pending."""
    lock_what_may_move([registration])
    if registration.status != "pending":
        db.session.rollback()
        return False
    registration.status = "confirmed"
    audit.record("registration.approve", target=registration, summary=registration.name,
                 changes={"status": ["pending", "confirmed"]})
    seats.promote_sessions(
        b.session for b in registration.seat_bookings if b.status == "waitlisted"
    )
    message = queue(registration, "approved")
    db.session.commit()
    send_queued([message])
    return True


def reject(registration: Registration) -> Freed | None:
    """Reject a pending registration and commit; None when it was not pending."""
    lock_what_may_move([registration])
    if registration.status != "pending":
        db.session.rollback()
        return None
    freed = end(registration, "rejected")
    audit.record("registration.reject", target=registration, summary=registration.name,
                 changes={"status": ["pending", "rejected"]})
    messages = _queue_news(registration, "rejected", freed)
    db.session.commit()
    send_queued(messages)
    return freed


def change_sessions(registration: Registration, picks: list[str]) -> Freed:
    """Replace the session picks of an active registration and commit.

    The same rules as on registering: known limited sessions only, no overlap. Picks
    kept keep their seat or their place in line; dropped ones free their seat for the
    next in line; new ones get a seat or join the end of the line. Raises
    ``InvalidRegistration`` (field ``sessions``).
    """
    if registration.status not in ACTIVE_STATUSES:
        raise InvalidRegistration({"sessions": [gettext("This registration is no longer active.")]})
    chosen, problems = resolve_sessions(registration.conference, picks)
    if problems:
        raise InvalidRegistration({"sessions": problems})
    lock_what_may_move([registration])
    wanted = {session.id for session in chosen}
    active = {b.session_id: b for b in registration.seat_bookings if b.status != "cancelled"}
    freed_sessions = []
    for session_id, booking in active.items():
        if session_id not in wanted:
            if booking.status == "confirmed":
                freed_sessions.append(booking.session)
            db.session.delete(booking)
    db.session.flush()
    db.session.expire(registration, ["seat_bookings"])
    new = [s for s in chosen if s.id not in active]
    # A pick dropped earlier and taken again goes to the end of the line.
    for booking in list(registration.seat_bookings):
        if booking.session_id in {s.id for s in new}:
            db.session.delete(booking)
    db.session.flush()
    seats.book_seats(registration, new)
    bookings = seats.promote_sessions(freed_sessions)
    freed = Freed([], bookings)
    messages = [
        queue(b.registration, "seat_promoted")
        for b in bookings
        if b.registration_id != registration.id
    ]
    db.session.commit()
    send_queued(messages)
    return freed


def can_edit_details(registration: Registration) -> bool:
    """Details may change while the registration is active and not erased."""
    return registration.status in ACTIVE_STATUSES and registration.email is not None


def update_details(registration: Registration, data: DetailsData) -> Registration:
    """Change the attendee's details and answers, with the rules of registering; commit.

    The e-mail address stays: it is how the conference recognises a second registration
    of the same person. Raises ``RegistrationError`` when the registration can no longer
    be changed and ``InvalidRegistration`` (per field) for bad input; nothing changes then.
    """
    if not can_edit_details(registration):
        raise RegistrationError(gettext("This registration can no longer be changed."))
    values, answers = check_details(registration.conference, data)
    registration.name = values["name"]
    registration.organisation = values["organisation"]
    registration.job_title = values["job_title"] or None
    registration.phone = values["phone"] or None
    registration.language = data.language
    store_answers(registration, answers)
    db.session.commit()
    return registration
