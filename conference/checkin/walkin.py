"""Walk-in registration at the door desk, with an immediate badge.

A walk-in goes through the very same ``registration.lifecycle.register`` as the web form
(``source="desk"``: the category's registration window does not apply; the extra
questions are skipped), so capacity, approval and the waiting list decide its status as
for anyone else. When the desk asks for it and the registration is confirmed, the
person is admitted through the normal ``check_in`` with their new badge code, so the
admission is logged like any scan (and can be undone by its nonce).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from ..badges.service import can_print_badge
from ..badges.tokens import issue_code
from ..email_address import normalise_email
from ..extensions import db
from ..mail.outbox import send_queued
from ..models import AttendeeCategory, Conference, Registration
from ..registration.lifecycle import add_registration, raise_if_address_taken
from ..registration.lookups import find_by_email
from ..registration.validation import RegistrationData
from .scanlog import CheckinResult, scan_request
from .service import check_in

SOURCE = "desk"


@dataclass(frozen=True)
class WalkIn:
    registration: Registration
    checkin: CheckinResult | None  # None when not checked in now (not asked, not confirmed)
    badge_ready: bool  # a badge may be printed (the registration is confirmed)


def desk_categories(conference: Conference) -> list[AttendeeCategory]:
    """The categories the desk offers: every category (staff may register a speaker or
    a guest in a category not offered online)."""
    return list(conference.categories)


def walk_in(
    conference: Conference,
    data: RegistrationData,
    *,
    check_in_now: bool,
    gate: str | None = None,
    nonce: str | None = None,
    scanned_by: str | None = None,
) -> WalkIn:
    """Register ``data`` at the desk and, if asked and confirmed, admit at once.

    The registration and the admission are one transaction: both are stored or neither.
    Raises what ``register`` raises (``InvalidRegistration``, ``DuplicateEmail``),
    ``CheckinInputError`` for an unstorable gate or nonce and ``NonceConflict`` for a
    nonce used before by another scan; nothing is stored then, so the desk may simply try
    again (with a fresh nonce).
    """
    # Refuse an unstorable gate or nonce now, before any database work.
    scan_request("", gate=gate, nonce=nonce, kind="entry", scanned_by=None, scanned_at=None)
    added = add_registration(conference, data, source=SOURCE, skip_questions=True)
    registration, email = added.registration, added.registration.email
    result = None
    try:
        if check_in_now and registration.status == "confirmed":
            # The general scan path commits the registration with the admission and its
            # log row, or rolls all of it back (a nonce used before: ``NonceConflict``).
            result = check_in(
                issue_code(registration), gate=gate, nonce=nonce, kind="entry",
                scanned_by=f"desk:{scanned_by}" if scanned_by else "desk", one_statement=False,
            )
        else:
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise_if_address_taken(conference, email)
        raise
    send_queued([added.message])
    return WalkIn(registration, result, can_print_badge(registration))


def walk_in_registration(public_id: str) -> Registration | None:
    """The registration made at the desk with this badge id, or None."""
    return db.session.execute(
        db.select(Registration).where(
            Registration.public_id == public_id, Registration.source == SOURCE
        )
    ).scalar_one_or_none()


def registration_by_email(conference: Conference, email: str) -> Registration | None:
    """Who holds ``email`` (for the desk's duplicate message): the registration with it
    that is not cancelled — a cancelled one leaves the address free to register again."""
    try:
        email = normalise_email(email)
    except ValueError:
        return None
    return find_by_email(conference, email)
