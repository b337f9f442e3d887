"""Registering attendees: the rules shared by the web form, the JSON API, the CLI and tests.

``register`` checks and cleans what a person typed, decides the status from the category,
and commits the registration before returning it, so anything that follows (an e-mail, a
badge) works on a stored row. Capacity is counted here; taking a place under a lock and
waiting lists plug into ``_claim_category_place``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import LANGUAGES
from ..models import AttendeeCategory, Conference, Registration
from ..models.base import utcnow

# Longest text accepted per field, in characters; the columns hold at least this much.
MAX_LENGTHS: dict[str, int] = {
    "name": 120,
    "email": 254,
    "organisation": 200,
    "job_title": 120,
    "phone": 40,
    "category": 40,
}
REQUIRED_FIELDS = ("name", "email", "organisation", "category")
# Statuses that hold a place in a category with a capacity.
PLACE_HOLDING_STATUSES = ("confirmed", "pending")

_PHONE = re.compile(r"[0-9+\-\s]*")
_SPACE_RUN = re.compile(r" {2,}")
# Dropped from every field: C0/C1 controls and DEL (Cc), lone surrogates (Cs) and
# separators (Zl, Zp); line breaks and tabs become spaces first.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_LINE_BREAKS_AND_TABS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


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


class RegistrationError(Exception):
    """A registration was refused; ``message`` is for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidRegistration(RegistrationError):
    """Some fields are missing or wrong: ``errors`` maps field names to messages.

    Field names are those of the form and the API: name, email, organisation, job_title,
    phone, category, consent.
    """

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(gettext("Please correct the marked fields."))
        self.errors = errors


class DuplicateEmail(RegistrationError):
    """The e-mail address is already registered for this conference."""


class CategoryFull(RegistrationError):
    """The chosen category has reached its capacity."""


def clean_text(value: object) -> str:
    """Text on one line without control characters, runs of spaces folded, ends trimmed.

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
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            kept.append(ch)
    text = "".join(kept)
    return _SPACE_RUN.sub(" ", text).strip()


def public_categories(conference: Conference) -> list[AttendeeCategory]:
    """The categories people may pick on /register, in display order."""
    return [category for category in conference.categories if category.public]


def places_taken(category: AttendeeCategory) -> int:
    """Registrations holding a place in ``category``."""
    return db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.category_id == category.id,
            Registration.status.in_(PLACE_HOLDING_STATUSES),
        )
    ).scalar_one()


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


def _too_long(limit: int) -> str:
    return gettext("At most %(limit)d characters, please.", limit=limit)


def _check(conference: Conference, data: RegistrationData) -> _CleanData:
    """Clean every field and collect all problems at once."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    values = {
        "name": clean_text(data.name),
        "email": clean_text(data.email),
        "organisation": clean_text(data.organisation),
        "job_title": clean_text(data.job_title),
        "phone": clean_text(data.phone),
        "category": clean_text(data.category_code),
    }
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

    email = values["email"]
    if email and "email" not in errors:
        try:
            email = normalise_email(email)
        except EmailNotValidError:
            fail("email", gettext("Please enter a valid e-mail address, like name@example.com."))
        else:
            if len(email) > MAX_LENGTHS["email"]:
                fail("email", _too_long(MAX_LENGTHS["email"]))

    phone = values["phone"]
    if (
        phone
        and "phone" not in errors
        and (not _PHONE.fullmatch(phone) or not any(ch.isdigit() for ch in phone))
    ):
        fail("phone", gettext("A phone number may hold only digits, +, - and spaces."))

    category = None
    if values["category"] and "category" not in errors:
        category = next(
            (c for c in public_categories(conference) if c.code == values["category"]), None
        )
        if category is None:
            fail("category", gettext("Please choose one of the categories offered."))

    if data.consent is not True:
        fail(
            "consent",
            gettext("Please agree to how your details are used, or we cannot register you."),
        )

    if errors:
        raise InvalidRegistration(errors)
    assert category is not None
    return _CleanData(
        name=values["name"],
        email=email,
        organisation=values["organisation"],
        job_title=values["job_title"],
        phone=phone,
        category=category,
        language=data.language if data.language in LANGUAGES else "en",
    )


def _claim_category_place(category: AttendeeCategory) -> None:
    """Raise ``CategoryFull`` when ``category`` has no place left.

    This is where a lock on the category (``SELECT … FOR UPDATE``) and the choice
    between refusing and waitlisting belong.
    """
    if category.capacity is not None and places_taken(category) >= category.capacity:
        raise CategoryFull(gettext("The category “%(name)s” is full.", name=category.t("name")))


def _email_taken(conference: Conference, email: str) -> bool:
    return (
        db.session.execute(
            db.select(Registration.id).where(
                Registration.conference_id == conference.id, Registration.email == email
            )
        ).first()
        is not None
    )


def _duplicate() -> DuplicateEmail:
    return DuplicateEmail(
        gettext(
            "This e-mail address is already registered for this conference. Use the link "
            "you received when you registered, or contact the organisers."
        )
    )


def register(conference: Conference, data: RegistrationData) -> Registration:
    """Register a person for ``conference`` and commit.

    Raises ``InvalidRegistration`` (with per-field messages), ``DuplicateEmail`` or
    ``CategoryFull``; nothing is stored then.
    """
    clean = _check(conference, data)
    if _email_taken(conference, clean.email):
        raise _duplicate()
    _claim_category_place(clean.category)

    registration = Registration(
        conference=conference,
        category=clean.category,
        name=clean.name,
        email=clean.email,
        organisation=clean.organisation,
        job_title=clean.job_title or None,
        phone=clean.phone or None,
        status="pending" if clean.category.needs_approval else "confirmed",
        language=clean.language,
        consent_at=utcnow(),
    )
    db.session.add(registration)
    try:
        db.session.commit()
    except IntegrityError:
        # Two requests with the same address passed the check above at the same time;
        # the unique constraint (conference_id, email) let only one of them in.
        db.session.rollback()
        if _email_taken(conference, clean.email):
            raise _duplicate() from None
        raise
    return registration


def find_by_token(token: str) -> Registration | None:
    """The registration whose manage link carries ``token``, if any."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        db.select(Registration).where(Registration.token == token)
    ).scalar_one_or_none()
