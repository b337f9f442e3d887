"""Registering attendees: the rules shared by the web form, the JSON API, the CLI and tests.

``register`` checks and cleans what a person typed, decides the status from the category,
and commits the registration before returning it, so anything that follows (an e-mail, a
badge) works on a stored row. Places and seats are taken under a lock on their capacity
rows (see ``seats``); a full category or session puts the person on its waiting list in
arrival order, and ``cancel`` hands the freed place and seats to the next in line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import case
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..i18n import LANGUAGES
from ..mail.outbox import enqueue, queue, send_queued
from ..models import (
    AttendeeCategory,
    Conference,
    Question,
    Registration,
    SeatBooking,
    Session,
)
from ..models.base import utcnow
from ..models.registration import (
    ADDRESS_FREEING_STATUS,
    REGISTRATION_SOURCES,
    address_taken,
    find_by_token,
    may_register_again,
)
from . import seats, windows
from .questions import answers_by_code, check_answers, questions_of, store_answers

# Longest text accepted per field, in characters; the columns hold at least this much.
MAX_LENGTHS: dict[str, int] = {
    "name": 120,
    "email": 254,
    "organisation": 200,
    "job_title": 120,
    "phone": 40,
    "category": 40,
}
# The standard limit of the part of an address before the @ (RFC 5321), in octets of UTF-8;
# the whole address (254 octets) is checked by email_validator.
EMAIL_LOCAL_PART_OCTETS = 64
REQUIRED_FIELDS = ("name", "email", "organisation", "category")
# Statuses that hold a place in a category with a capacity.
PLACE_HOLDING_STATUSES = seats.PLACE_HOLDING_STATUSES
# Most session picks accepted in one registration.
MAX_SESSION_PICKS = 20
# Sources of registrations made by staff, who may register people outside a category's
# online registration window (a walk-in at the desk on the day, an import by the CLI).
STAFF_SOURCES = frozenset({"desk", "cli"})
# Statuses in which the attendee may still change picks and details.
ACTIVE_STATUSES = ("confirmed", "pending", "waitlisted")

_PHONE = re.compile(r"[0-9+\-\s]*")
_SPACE_RUN = re.compile(r" {2,}")
# Dropped from every field: C0/C1 controls and DEL (Cc), lone surrogates (Cs) and
# separators (Zl, Zp); line breaks and tabs become spaces first.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_LINE_BREAKS_AND_TABS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Bidirectional embeddings, overrides and isolates: with them a typed "\u202eevil" shows as
# "live" on a badge or a list. Right-to-left text needs none of them to show right.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass
class RegistrationData:
    """What a person submits to register, as typed (cleaned by ``register``)."""

    name: str
    email: str
    organisation: str = ""
    job_title: str = ""
    phone: str = ""
    category_code: str = ""
    consent: bool = False
    language: str = "en"
    # Slugs (or ids, as text) of limited sessions the person wants a seat in.
    sessions: list[str] = dataclass_field(default_factory=list)
    # Answers to the conference's extra questions: question code → answer (see questions).
    answers: dict[str, Any] = dataclass_field(default_factory=dict)


@dataclass
class DetailsData:
    """What an attendee may change on the manage page (the e-mail address is the key of
    the registration and stays as registered)."""

    name: str
    organisation: str = ""
    job_title: str = ""
    phone: str = ""
    language: str = "en"
    answers: dict[str, Any] = dataclass_field(default_factory=dict)


class RegistrationError(Exception):
    """A registration was refused; ``message`` is for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidRegistration(RegistrationError):
    """Some fields are missing or wrong: ``errors`` maps field names to messages.

    Field names are those of the form and the API: name, email, organisation, job_title,
    phone, category, consent, sessions, language, and ``answers.<question code>``.
    """

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(gettext("Please correct the marked fields."))
        self.errors = errors


class DuplicateEmail(RegistrationError):
    """The e-mail address is already registered for this conference."""


def clean_text(value: object) -> str:
    """Text on one line without control characters (bidirectional overrides included),
    runs of spaces folded, ends trimmed.

    Everything else — Chinese, emoji with their joiners, right-to-left marks — is kept
    exactly as typed.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    kept = []
    for ch in text:
        if ch in _LINE_BREAKS_AND_TABS:
            kept.append(" ")
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES and ch not in _BIDI_CONTROLS:
            kept.append(ch)
    text = "".join(kept)
    return _SPACE_RUN.sub(" ", text).strip()


# Loader options for the conference a registration is checked against: its categories
# and extra questions come with it in the same round trip (``current_conference(load=…)``).
REGISTRATION_CHOICES = (joinedload(Conference.categories), joinedload(Conference.questions))


def public_categories(conference: Conference) -> list[AttendeeCategory]:
    """The categories people may pick on /register, in display order."""
    return [category for category in conference.categories if category.public]


def places_taken(category: AttendeeCategory) -> int:
    """Registrations holding a place in ``category``."""
    return seats.places_taken(category)


def bookable_sessions(conference: Conference) -> list[Session]:
    """Sessions with a seat limit, which people pick on the form, in time order."""
    return list(
        db.session.execute(
            db.select(Session)
            .where(Session.conference_id == conference.id, Session.capacity.is_not(None))
            .order_by(Session.starts_at, Session.id)
        ).scalars()
    )


def overlapping_pairs(sessions: list[Session]) -> list[tuple[Session, Session]]:
    """Every two of ``sessions`` that overlap in time, in time order."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at))
    return [
        (earlier, later)
        for number, earlier in enumerate(ordered)
        for later in ordered[number + 1 :]
        if later.starts_at < earlier.ends_at
    ]


def _resolve_sessions(conference: Conference, picks: list[str]) -> tuple[list[Session], list[str]]:
    """The sessions named by ``picks`` (slugs or ids) and the problems found."""
    problems: list[str] = []
    if len(picks) > MAX_SESSION_PICKS:
        return [], [gettext("At most %(limit)d sessions, please.", limit=MAX_SESSION_PICKS)]
    if not picks:
        return [], []
    offered = bookable_sessions(conference)
    by_key = {s.slug: s for s in offered} | {str(s.id): s for s in offered}
    chosen: list[Session] = []
    for pick in picks:
        key = clean_text(pick)[:80]
        session = by_key.get(key)
        if session is None:
            problems.append(gettext("“%(pick)s” is not a session with seats to book.", pick=key))
        elif session not in chosen:
            chosen.append(session)
    if not problems:
        problems += [
            gettext(
                "“%(first)s” and “%(second)s” take place at the same time; please pick one.",
                first=first.t("title"),
                second=second.t("title"),
            )
            for first, second in overlapping_pairs(chosen)
        ]
    return chosen, problems


def normalise_email(value: str) -> str:
    """The address as stored: checked for shape (no DNS look-up), lower-cased.

    Raises ``EmailNotValidError`` for something that is not an e-mail address.
    """
    result = validate_email(value, check_deliverability=False)
    return result.normalized.lower()


@dataclass
class _CleanData:
    name: str
    email: str
    organisation: str
    job_title: str
    phone: str
    category: AttendeeCategory
    language: str
    sessions: list[Session]
    answers: list[tuple[Question, Any]]


def _too_long(limit: int) -> str:
    return gettext("At most %(limit)d characters, please.", limit=limit)


class _Problems:
    """Collects messages per field; ``raise_if_any`` turns them into ``InvalidRegistration``."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def __call__(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidRegistration(self.errors)


def _check_texts(values: dict[str, str], fail: _Problems) -> None:
    """Required fields present, every field within its length, the phone number's shape."""
    missing = {
        "name": gettext("Please enter your name."),
        "email": gettext("Please enter your e-mail address."),
        "organisation": gettext("Please enter your organisation."),
        "category": gettext("Please choose a category."),
    }
    for field, value in values.items():
        if field in REQUIRED_FIELDS and not value:
            fail(field, missing[field])
        elif len(value) > MAX_LENGTHS[field]:
            fail(field, _too_long(MAX_LENGTHS[field]))
    phone = values.get("phone")
    if (
        phone
        and "phone" not in fail
        and (not _PHONE.fullmatch(phone) or not any(ch.isdigit() for ch in phone))
    ):
        fail("phone", gettext("A phone number may hold only digits, +, - and spaces."))


def _check(
    conference: Conference,
    data: RegistrationData,
    *,
    ask_questions: bool,
    window_at: datetime | None,
    staff: bool = False,
) -> _CleanData:
    """Clean every field and collect all problems at once.

    ``window_at``: the moment the category's registration window is checked at (None:
    not checked). ``ask_questions``: check the extra questions (one query). ``staff``:
    registered by staff, who may also choose the categories not offered online.
    """
    fail = _Problems()
    offered_categories = conference.categories if staff else public_categories(conference)
    values = {
        "name": clean_text(data.name),
        "email": clean_text(data.email),
        "organisation": clean_text(data.organisation),
        "job_title": clean_text(data.job_title),
        "phone": clean_text(data.phone),
        "category": clean_text(data.category_code),
    }
    _check_texts(values, fail)

    email = values["email"]
    if email and "email" not in fail:
        try:
            email = normalise_email(email)
        except EmailNotValidError:
            fail("email", gettext("Please enter a valid e-mail address, like name@example.com."))
        else:
            if len(email.rpartition("@")[0].encode()) > EMAIL_LOCAL_PART_OCTETS:
                fail(
                    "email",
                    gettext(
                        "The part before the @ is too long; please use a shorter e-mail address."
                    ),
                )
            elif len(email) > MAX_LENGTHS["email"]:
                fail("email", _too_long(MAX_LENGTHS["email"]))

    category = None
    if values["category"] and "category" not in fail:
        category = next(
            (c for c in offered_categories if c.code == values["category"]), None
        )
        if category is None:
            fail("category", gettext("Please choose one of the categories offered."))
        elif window_at is not None and (closed := windows.refusal(category, window_at)):
            fail("category", closed)

    sessions, session_problems = _resolve_sessions(conference, list(data.sessions or []))
    for problem in session_problems:
        fail("sessions", problem)

    if data.consent is not True:
        fail(
            "consent",
            gettext("Please agree to how your details are used, or we cannot register you."),
        )

    answers = (
        check_answers(questions_of(conference), data.answers, fail, clean_text)
        if ask_questions
        else []
    )

    fail.raise_if_any()
    assert category is not None
    return _CleanData(
        name=values["name"],
        email=email,
        organisation=values["organisation"],
        job_title=values["job_title"],
        phone=values["phone"],
        category=category,
        language=data.language if data.language in LANGUAGES else "en",
        sessions=sessions,
        answers=answers,
    )


# Orders the registrations made with one address: the one holding it first (there is at
# most one, see ``models.registration``), then the cancelled ones, latest first.
ADDRESS_ORDER = (
    case((Registration.status == ADDRESS_FREEING_STATUS, 1), else_=0),
    Registration.id.desc(),
)


def find_by_email(
    conference: Conference, email: str, *, or_cancelled: bool = False
) -> Registration | None:
    """The registration of ``conference`` that holds ``email`` (as stored: normalised),
    that is the one not cancelled; None when there is none.

    With ``or_cancelled``, when nobody holds the address, the registration with it that was
    cancelled last (the person cancelled and did not register again).
    """
    query = db.select(Registration).where(
        Registration.conference_id == conference.id, Registration.email == email
    )
    if not or_cancelled:
        query = query.where(Registration.status != ADDRESS_FREEING_STATUS)
    return db.session.execute(query.order_by(*ADDRESS_ORDER).limit(1)).scalar_one_or_none()


def to_register_again(conference: Conference, token: str) -> Registration | None:
    """The cancelled registration of ``conference`` whose manage link carries ``token``
    and whose person may register again (``may_register_again``): its details start the
    new registration. None for any other token."""
    registration = find_by_token(token)
    if (
        registration is None
        or registration.conference_id != conference.id
        or not may_register_again(registration)
    ):
        return None
    return registration


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
    any category, also those not offered online, and are not bound by its registration window, which is checked at ``now`` (default:
    the current time). ``skip_questions`` leaves the extra questions out altogether (a
    walk-in at the desk): they are neither checked nor stored.
    """
    if source not in REGISTRATION_SOURCES:
        raise ValueError(f"unknown registration source {source!r}")
    clean = _check(
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


def _lock_everything_that_may_move(registration: Registration) -> None:
    """Lock the category and every limited session of the conference, in the one order.

    A cancellation may promote someone whose picks differ from the cancelled ones, so
    all limited sessions are locked; cancellations are rare next to registrations.
    """
    seats.lock_capacity_rows(
        [registration.category_id],
        _limited_session_ids(bookable_sessions(registration.conference)),
    )
    db.session.refresh(registration)


@dataclass
class Freed:
    """What a cancellation or rejection moved: who got a place or a seat."""

    registrations: list[Registration]
    bookings: list[SeatBooking]


def _end(registration: Registration, new_status: str) -> Freed:
    held_place = registration.status in PLACE_HOLDING_STATUSES
    registration.status = new_status
    registration.badge_version += 1
    freed_sessions = seats.release(registration)
    promoted = seats.promote_category(registration.category) if held_place else []
    sessions = set(freed_sessions)
    for person in promoted:
        sessions.update(b.session for b in person.seat_bookings if b.status == "waitlisted")
    bookings = seats.promote_sessions(sessions)
    return Freed(promoted, bookings)


def _queue_news(registration: Registration, kind: str, freed: Freed) -> list:
    """Queue the message to ``registration`` and to everyone who moved up."""
    rows = [queue(registration, kind)]
    rows += [queue(person, "promoted") for person in freed.registrations]
    told = {registration.id} | {person.id for person in freed.registrations}
    for booking in freed.bookings:
        if booking.registration_id not in told:
            told.add(booking.registration_id)
            rows.append(queue(booking.registration, "seat_promoted"))
    return rows


def cancel(registration: Registration) -> Freed:
    """Cancel ``registration`` and commit: the badge stops working, its place and seats
    go to the next people in line. Cancelling twice changes nothing."""
    _lock_everything_that_may_move(registration)
    if registration.status in ("cancelled", "rejected"):
        db.session.rollback()
        return Freed([], [])
    freed = _end(registration, "cancelled")
    # The message says the place or seats went to people waiting only when they did.
    passed_on = bool(freed.registrations or freed.bookings)
    messages = _queue_news(registration, "cancelled_passed_on" if passed_on else "cancelled", freed)
    db.session.commit()
    send_queued(messages)
    return freed


def approve(registration: Registration) -> bool:
    """Confirm a pending registration and commit; False when it was not pending."""
    _lock_everything_that_may_move(registration)
    if registration.status != "pending":
        db.session.rollback()
        return False
    registration.status = "confirmed"
    seats.promote_sessions(
        b.session for b in registration.seat_bookings if b.status == "waitlisted"
    )
    message = queue(registration, "approved")
    db.session.commit()
    send_queued([message])
    return True


def reject(registration: Registration) -> Freed | None:
    """Reject a pending registration and commit; None when it was not pending."""
    _lock_everything_that_may_move(registration)
    if registration.status != "pending":
        db.session.rollback()
        return None
    freed = _end(registration, "rejected")
    messages = _queue_news(registration, "rejected", freed)
    db.session.commit()
    send_queued(messages)
    return freed


def same_address(registration: Registration) -> list[Registration]:
    """The other registrations of ``registration``'s conference made with its e-mail
    address, oldest first: the same person, who registered again after cancelling (or
    cancelled again); none once its personal data was erased."""
    if registration.email is None:
        return []
    return list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.conference_id == registration.conference_id,
                Registration.email == registration.email,
                Registration.id != registration.id,
            )
            .order_by(Registration.id)
        ).scalars()
    )


def _stored_about(registration: Registration) -> dict:
    """What one registration holds about its person."""
    return {
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "organisation": registration.organisation,
        "job_title": registration.job_title,
        "category": registration.category.code,
        "status": registration.status,
        "language": registration.language,
        "registered_at": registration.created_at.isoformat() + "Z",
        "consent_at": registration.consent_at.isoformat() + "Z"
        if registration.consent_at
        else None,
        "checked_in_at": (
            registration.checked_in_at.isoformat() + "Z" if registration.checked_in_at else None
        ),
        "sessions": [
            {"session": b.session.slug, "status": b.status} for b in registration.seat_bookings
        ],
        "answers": answers_by_code(registration),
    }


def personal_data(registration: Registration) -> dict:
    """Everything stored about the person, for "download my data" (PIPL / GDPR).

    The registrations the person made with the same address at the same conference
    before this one (and cancelled) come with it, under ``earlier_registrations``, in the
    same fields. One made after it is left out: the link of a cancelled registration does
    not show what its person registered with since.
    """
    return {
        "conference": registration.conference.slug,
        **_stored_about(registration),
        "earlier_registrations": [
            _stored_about(earlier)
            for earlier in same_address(registration)
            if earlier.id < registration.id
        ],
    }


ERASED_NAME = "—"


def erase_personal_data(registration: Registration) -> None:
    """Cancel (if still active) and erase the personal fields; counts stay right.

    Every registration of the conference made with the same e-mail address is erased
    with it — the person's earlier, cancelled registrations, or the one made after this
    one was cancelled: the same mailbox reaches them all. The rows, their category,
    status and seat history stay so head counts and waiting lists remain true; name,
    e-mail, phone, organisation, job title and every answer to the extra questions are
    gone for good. Choice answers go too: the registration is cancelled, so they no
    longer count for catering or anything else, and a dietary or accessibility choice
    can reveal health or religion.
    """
    everyone = [registration, *same_address(registration)]
    for each in everyone:
        if each.status in ACTIVE_STATUSES:
            cancel(each)
    for each in everyone:
        each.name = ERASED_NAME
        each.email = None
        each.phone = None
        each.organisation = None
        each.job_title = None
        each.answers.clear()
        each.badge_version += 1
    db.session.commit()


def resend_manage_link(conference: Conference, email: str) -> None:
    """Mail the manage link to ``email`` if it is registered; say nothing either way.

    The link is that of the registration holding the address (the one not cancelled);
    when every registration with it was cancelled, that of the one cancelled last, whose
    page says so and offers to register again.
    """
    try:
        address = normalise_email(clean_text(email)[: MAX_LENGTHS["email"]])
    except EmailNotValidError:
        return
    registration = find_by_email(conference, address, or_cancelled=True)
    if registration is not None:
        enqueue(registration, "manage_link")


def change_sessions(registration: Registration, picks: list[str]) -> Freed:
    """Replace the session picks of an active registration and commit.

    The same rules as on registering: known limited sessions only, no overlap. Picks
    kept keep their seat or their place in line; dropped ones free their seat for the
    next in line; new ones get a seat or join the end of the line. Raises
    ``InvalidRegistration`` (field ``sessions``).
    """
    if registration.status not in ACTIVE_STATUSES:
        raise InvalidRegistration({"sessions": [gettext("This registration is no longer active.")]})
    chosen, problems = _resolve_sessions(registration.conference, picks)
    if problems:
        raise InvalidRegistration({"sessions": problems})
    _lock_everything_that_may_move(registration)
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
    fail = _Problems()
    values = {
        "name": clean_text(data.name),
        "organisation": clean_text(data.organisation),
        "job_title": clean_text(data.job_title),
        "phone": clean_text(data.phone),
    }
    _check_texts(values, fail)
    if data.language not in LANGUAGES:
        fail("language", gettext("Please choose a language."))
    answers = check_answers(questions_of(registration.conference), data.answers, fail, clean_text)
    fail.raise_if_any()
    registration.name = values["name"]
    registration.organisation = values["organisation"]
    registration.job_title = values["job_title"] or None
    registration.phone = values["phone"] or None
    registration.language = data.language
    store_answers(registration, answers)
    db.session.commit()
    return registration
