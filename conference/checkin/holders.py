"""Who holds a scanned badge, and may that badge enter: one query per scan.

The door reads a registration together with its conference and category in a single
SELECT of only the columns it shows or decides on, straight into a small frozen
``BadgeHolder`` — no ORM objects to build, track or expire on the hottest path of the
application. The statements are built once, at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ..badges.tokens import InvalidCode, conference_tag, verify_code
from ..current import current_conference
from ..extensions import db
from ..i18n import pick
from ..models import AttendeeCategory, Conference, Registration

Status = Literal[
    "ok", "already_checked_in", "invalid", "revoked", "cancelled", "not_confirmed", "room_full"
]

CANCELLED_STATUSES = ("cancelled", "rejected")
UNCONFIRMED_STATUSES = ("pending", "waitlisted")

_registration = Registration.__table__
_conference = Conference.__table__
_category = AttendeeCategory.__table__

_HOLDER = db.select(
    _registration.c.id,
    _registration.c.conference_id,
    _registration.c.public_id,
    _registration.c.badge_version,
    _registration.c.status,
    _registration.c.name,
    _registration.c.organisation,
    _registration.c.checked_in_at,
    _registration.c.checked_in_gate,
    _conference.c.slug,
    _conference.c.timezone,
    _conference.c.checkin_reentry,
    _category.c.name_zh,
    _category.c.name_en,
    _category.c.colour,
).select_from(
    _registration.join(_conference, _conference.c.id == _registration.c.conference_id).join(
        _category, _category.c.id == _registration.c.category_id
    )
)
_BY_PUBLIC_ID = _HOLDER.where(_registration.c.public_id == db.bindparam("public_id"))
_BY_ID = _HOLDER.where(_registration.c.id == db.bindparam("registration_id"))


@dataclass(frozen=True)
class BadgeHolder:
    """A registration as the door sees it (read once, never refreshed)."""

    id: int
    conference_id: int
    public_id: str
    badge_version: int
    status: str
    name: str
    organisation: str | None
    checked_in_at: datetime | None  # as read, before this scan
    checked_in_gate: str | None
    conference_slug: str
    timezone: str  # the conference's, for showing times
    main_door_reentry: bool  # Conference.checkin_reentry
    category: str  # in the current language
    category_colour: str | None

    @classmethod
    def of_row(cls, row) -> BadgeHolder:
        return cls(
            row.id, row.conference_id, row.public_id, row.badge_version, row.status, row.name,
            row.organisation, row.checked_in_at, row.checked_in_gate, row.slug, row.timezone,
            row.checkin_reentry, pick(row.name_zh, row.name_en), row.colour,
        )

    @classmethod
    def not_admitted_before(cls, values: tuple) -> BadgeHolder:
        """From the plain tuple (id, conference_id, public_id, badge_version, status, name,
        organisation, slug, timezone, checkin_reentry, name_zh, name_en, colour) of a badge
        that had not been admitted before (the one-statement admission's row)."""
        *head, slug, timezone, reentry, name_zh, name_en, colour = values
        return cls(*head, None, None, slug, timezone, reentry, pick(name_zh, name_en), colour)


def holder_by_public_id(public_id: str) -> BadgeHolder | None:
    row = db.session.connection().execute(_BY_PUBLIC_ID, {"public_id": public_id}).one_or_none()
    return None if row is None else BadgeHolder.of_row(row)


def holder_by_id(registration_id: int) -> BadgeHolder | None:
    row = db.session.connection().execute(_BY_ID, {"registration_id": registration_id}).one_or_none()
    return None if row is None else BadgeHolder.of_row(row)


@dataclass(frozen=True)
class Decision:
    status: Status
    holder: BadgeHolder | None


def door_conference_id() -> int | None:
    """The conference the main door admits to: the site's current one (``current``)."""
    conference = current_conference(required=False)
    return None if conference is None else conference.id


def decide(code: object, conference_id: int | None) -> Decision:
    """Everything that can be said about a code before admitting: who, and may they enter
    at a door of conference ``conference_id`` (a badge of another conference is invalid
    there, as one of no conference at all)."""
    try:
        claim = verify_code(code)  # type: ignore[arg-type]
    except InvalidCode:
        return Decision("invalid", None)
    holder = holder_by_public_id(claim.public_id)
    if holder is None or conference_tag(holder.conference_slug) != claim.conference_tag:
        return Decision("invalid", None)
    if holder.conference_id != conference_id:
        return Decision("invalid", None)
    if claim.version < holder.badge_version:
        return Decision("revoked", holder)  # the badge was re-issued since
    if claim.version > holder.badge_version:
        return Decision("invalid", None)  # never issued by this database
    if holder.status in CANCELLED_STATUSES:
        return Decision("cancelled", holder)
    if holder.status in UNCONFIRMED_STATUSES:
        return Decision("not_confirmed", holder)
    return Decision("ok", holder)
