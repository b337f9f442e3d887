"""The desk: arrival counters, finding a person, the lists a scanner can check in to, and
registering a walk-in.

* ``GET /api/v1/checkin/counters``: arrivals at the door's conference, per gate and in the
  last 10 minutes.
* ``GET /api/v1/checkin/search?q=…``: registrations of the door's conference by name or
  organisation (for a lost badge, then ``POST /api/v1/checkin/manual``).
* ``GET /api/v1/checkin/lists``: the main door and every session held in a room with a
  capacity.
* ``POST /api/v1/checkin/walk-in``: register a walk-in at the desk (staff login only),
  optionally admitting them at once; see ``checkin_walk_in``.
Auth: a staff session or a device token (``contract.STAFF_OR_DEVICE``); the walk-in a
staff session only (``contract.STAFF_LOGIN``).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from pydantic import Field

from ...auth.guards import current_caller
from ...checkin.holders import door_conference_id
from ...checkin.lists import checkin_lists as lists_of
from ...checkin.lookup import arrival_counters, search_registrations
from ...checkin.service import CheckinInputError, NonceConflict
from ...checkin.walkin import registration_by_email, walk_in
from ...current import current_conference
from ...errors import problem
from ...registration.validation import DuplicateEmail, InvalidRegistration
from .. import bp
from ..contract import (
    STAFF_LOGIN,
    STAFF_OR_DEVICE,
    Answer,
    Problem,
    Schema,
    invalid,
    invalid_registration,
    operation,
    required_by_the_rules,
)
from ..registrant import EXAMPLE, REQUIRED, RegistrantFields
from .answers import ScanAnswer, scan_answer
from .payloads import MAX_BODY_BYTES, Gate, Nonce

TAGS = ["check-in desk"]


class GateCount(Answer):
    gate: str | None
    checked_in: int


class Counters(Answer):
    """Arrivals at the door's conference."""

    checked_in: int
    expected: int = Field(description="Confirmed registrations.")
    gates: list[GateCount] = Field(description="Admissions by gate, most first.")
    last_10_minutes: int


class SearchQuery(Schema):
    q: str = Field("", description="Part of a name or organisation; at least two characters.")


class Person(Answer):
    ref: str = Field(description="The reference to check the person in by hand with.")
    name: str
    organisation: str | None
    category: str | None
    status: str
    checked_in: bool


class People(Answer):
    items: list[Person]


class CheckinList(Answer):
    session: int | None = Field(description="`null` for the main door.")
    title: str | None
    room: str | None = None
    starts_at: str | None = Field(None, description="ISO 8601 in UTC, without an offset.")
    capacity: int | None
    inside: int | None
    reentry: bool = Field(description="Whether a badge scanned out may come back in.")


class CheckinLists(Answer):
    items: list[CheckinList]


class WalkInRequest(RegistrantFields):
    """A walk-in registered at the desk."""

    model_config = required_by_the_rules(
        *REQUIRED, example={**EXAMPLE, "email": "walk.in@example.org", "gate": "Desk"})

    check_in: bool | None = Field(None, description="Admit the person now (the default).")
    gate: Gate = None
    nonce: Nonce = None


class WalkedIn(Answer):
    ref: str
    status: str
    name: str
    organisation: str | None
    category: str | None
    badge_url: str | None = Field(description="The A6 badge PDF to print, once it is ready.")
    checkin: ScanAnswer | None = Field(description="The check-in answer when admitted now.")
    nonce: str | None


class ExistingRegistration(Answer):
    ref: str
    name: str
    organisation: str | None
    status: str
    checked_in: bool


class AlreadyRegistered(Problem):
    existing: ExistingRegistration | None = Field(description=(
        "The registration holding the address: find the person and check them in by hand."))


@bp.get("/checkin/counters")
@operation(summary="Arrival counters", tags=TAGS, access=STAFF_OR_DEVICE,
           responses={200: Counters})
def checkin_counters():
    """Arrivals at the door's conference, per gate and in the last 10 minutes."""
    counters = arrival_counters(door_conference_id())
    return {
        "checked_in": counters.checked_in,
        "expected": counters.expected,
        "gates": [{"gate": gate, "checked_in": count} for gate, count in counters.per_gate],
        "last_10_minutes": counters.last_10_minutes,
    }


@bp.get("/checkin/search")
@operation(summary="Find a person", tags=TAGS, access=STAFF_OR_DEVICE, query=SearchQuery,
           responses={200: People})
def checkin_search(query: SearchQuery):
    """Registrations of the door's conference by name or organisation (for a lost badge,
    then `POST /api/v1/checkin/manual`); nobody for fewer than two characters."""
    people = search_registrations(query.q, door_conference_id())
    return {
        "items": [
            {
                "ref": person.public_id,
                "name": person.name,
                "organisation": person.organisation,
                "category": person.category.t("name"),
                "status": person.status,
                "checked_in": person.checked_in_at is not None,
            }
            for person in people
        ]
    }


@bp.get("/checkin/lists")
@operation(summary="The lists to check in to", tags=TAGS, access=STAFF_OR_DEVICE,
           responses={200: CheckinLists})
def checkin_lists():
    """The main door and every session whose room has a capacity, with its occupancy and
    whether a badge scanned out may come back in (`reentry`)."""
    return {
        "items": [
            {
                "session": item.session_id,
                "title": item.title,
                **(
                    {"room": item.room, "starts_at": item.starts_at.isoformat()}
                    if item.session_id is not None
                    else {}
                ),
                "capacity": item.capacity,
                "inside": item.inside,
                "reentry": item.reentry,
            }
            for item in lists_of(current_conference(required=False))
        ]
    }


WALK_IN_TITLE = "Invalid registration"


@bp.post("/checkin/walk-in")
@operation(
    summary="Register a walk-in", tags=TAGS, access=STAFF_LOGIN, body=WalkInRequest,
    body_max_bytes=MAX_BODY_BYTES, invalid_title=WALK_IN_TITLE,
    responses={
        201: WalkedIn,
        404: "No conference has been loaded yet.",
        409: (AlreadyRegistered, ("The e-mail address is registered already (`existing`), "
                                  "or the nonce was sent before with another scan.")),
    },
)
def checkin_walk_in(body: WalkInRequest):
    """Registers a walk-in at the desk (a staff login, never a device token) and, unless
    `check_in` is false, admits them at once. A cancelled registration leaves its address
    free, so the person is registered again."""
    conference = current_conference(required=False)
    if conference is None:
        return problem(404, "Not Found", "No conference has been loaded yet.")
    data = body.registration_data()
    try:
        done = walk_in(
            conference, data, check_in_now=body.check_in is not False,
            gate=body.gate, nonce=body.nonce, scanned_by=_desk_caller(),
        )
    except InvalidRegistration as exc:
        return invalid_registration(exc.errors, WALK_IN_TITLE)
    except DuplicateEmail:
        existing = registration_by_email(conference, data.email)
        return problem(
            409, "Already registered",
            gettext("This e-mail address is already registered. Find the person by name "
                    "below and check them in by hand."),
            existing=None if existing is None else {
                "ref": existing.public_id,
                "name": existing.name,
                "organisation": existing.organisation,
                "status": existing.status,
                "checked_in": existing.checked_in_at is not None,
            },
        )
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return invalid([{"name": "body", "reason": str(exc)}], WALK_IN_TITLE)
    person = done.registration
    return {
        "ref": person.public_id,
        "status": person.status,
        "name": person.name,
        "organisation": person.organisation,
        "category": person.category.t("name"),
        "badge_url": url_for("checkin.walk_in_badge", public_id=person.public_id)
        if done.badge_ready else None,
        "checkin": scan_answer(done.checkin) if done.checkin is not None else None,
        "nonce": body.nonce if done.checkin is not None else None,
    }, 201


def _desk_caller() -> str:
    caller = current_caller()
    return caller.log_name if caller else "desk"
