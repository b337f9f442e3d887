"""What a person typed, checked and cleaned: the same rules for the web form, the JSON
API, the desk and the manage page.

Every problem is collected before anything is refused, so the person sees all of them at
once (``InvalidRegistration`` maps each field to its messages); nothing here writes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import joinedload

from ..email_address import EmailNotValidError, normalise_email
from ..extensions import db
from ..i18n import LANGUAGES
from ..models import AttendeeCategory, Conference, Question, Session, SessionStatus
from . import windows
from .questions import check_answers, questions_of

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
# Most session picks accepted in one registration.
MAX_SESSION_PICKS = 20

_PHONE = re.compile(r"[0-9+\-\s]*")
_SPACE_RUN = re.compile(r" {2,}")
# Dropped from every field: C0/C1 controls and DEL (Cc), lone surrogates (Cs) and
# separators (Zl, Zp); line breaks and tabs become spaces first.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_LINE_BREAKS_AND_TABS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Bidirectional embeddings, overrides and isolates: with them a typed "\u202eevil" shows as
# "live" on a badge or a list. Right-to-left text needs none of them to show right.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that print nothing: format characters (zero-width space and joiners, marks),
# spaces, combining marks on their own, unassigned code points, and the letters that fonts
# draw blank (Hangul fillers, the blank Braille pattern). A name of these only is no name.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Mn", "Me", "Cn", "Co"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


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


def shows_something(text: str) -> bool:
    """Whether ``text`` has at least one character that prints."""
    return any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _BLANK_LETTERS
               for ch in text)


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


def bookable_sessions(conference: Conference) -> list[Session]:
    """Sessions with a seat limit, which people pick on the form, in time order; not
    those cancelled."""
    return list(
        db.session.execute(
            db.select(Session)
            .where(
                Session.conference_id == conference.id,
                Session.capacity.is_not(None),
                Session.status == SessionStatus.SCHEDULED,
            )
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


def resolve_sessions(conference: Conference, picks: list[str]) -> tuple[list[Session], list[str]]:
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


@dataclass
class CleanData:
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


class Problems:
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


def check_texts(values: dict[str, str], fail: Problems) -> None:
    """Required fields present, every field within its length, the phone number's shape."""
    missing = {
        "name": gettext("Please enter your name."),
        "email": gettext("Please enter your e-mail address."),
        "organisation": gettext("Please enter your organisation."),
        "category": gettext("Please choose a category."),
    }
    for field, value in values.items():
        if field in REQUIRED_FIELDS and not shows_something(value):
            fail(field, missing[field])  # empty, or only characters that print nothing
        elif len(value) > MAX_LENGTHS[field]:
            fail(field, _too_long(MAX_LENGTHS[field]))
    phone = values.get("phone")
    if (
        phone
        and "phone" not in fail
        and (not _PHONE.fullmatch(phone) or not any(ch.isdigit() for ch in phone))
    ):
        fail("phone", gettext("A phone number may hold only digits, +, - and spaces."))


def check_registration(
    conference: Conference,
    data: RegistrationData,
    *,
    ask_questions: bool,
    window_at: datetime | None,
    staff: bool = False,
) -> CleanData:
    """Clean every field and collect all problems at once.

    ``window_at``: the moment the category's registration window is checked at (None:
    not checked). ``ask_questions``: check the extra questions (one query). ``staff``:
    registered by staff, who may also choose the categories not offered online.
    """
    fail = Problems()
    offered_categories = conference.categories if staff else public_categories(conference)
    values = {
        "name": clean_text(data.name),
        "email": clean_text(data.email),
        "organisation": clean_text(data.organisation),
        "job_title": clean_text(data.job_title),
        "phone": clean_text(data.phone),
        "category": clean_text(data.category_code),
    }
    check_texts(values, fail)

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

    sessions, session_problems = resolve_sessions(conference, list(data.sessions or []))
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
    return CleanData(
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


def check_details(
    conference: Conference, data: DetailsData
) -> tuple[dict[str, str], list[tuple[Question, Any]]]:
    """The cleaned texts and answers of a change of details, by the rules of registering.

    Raises ``InvalidRegistration`` (per field) for bad input.
    """
    fail = Problems()
    values = {
        "name": clean_text(data.name),
        "organisation": clean_text(data.organisation),
        "job_title": clean_text(data.job_title),
        "phone": clean_text(data.phone),
    }
    check_texts(values, fail)
    if data.language not in LANGUAGES:
        fail("language", gettext("Please choose a language."))
    answers = check_answers(questions_of(conference), data.answers, fail, clean_text)
    fail.raise_if_any()
    return values, answers
