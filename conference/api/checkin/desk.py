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
Auth: see ``conference.auth.guards.api_staff_or_device``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext

from ...auth.guards import api_staff_or_device, current_caller
from ...checkin.holders import door_conference_id
from ...checkin.lists import checkin_lists as lists_of
from ...checkin.lookup import arrival_counters, search_registrations
from ...checkin.service import MAX_GATE, MAX_NONCE, CheckinInputError, NonceConflict
from ...checkin.walkin import registration_by_email, walk_in
from ...current import current_conference
from ...errors import problem
from ...i18n import LANGUAGES, current_language
from ...registration.validation import DuplicateEmail, InvalidRegistration, RegistrationData
from .. import bp
from .answers import scan_answer
from .payloads import invalid, read_json


@bp.get("/checkin/counters")
@api_staff_or_device
def checkin_counters():
    counters = arrival_counters(door_conference_id())
    return jsonify(
        {
            "checked_in": counters.checked_in,
            "expected": counters.expected,
            "gates": [{"gate": gate, "checked_in": count} for gate, count in counters.per_gate],
            "last_10_minutes": counters.last_10_minutes,
        }
    )


@bp.get("/checkin/search")
@api_staff_or_device
def checkin_search():
    people = search_registrations(request.args.get("q", ""), door_conference_id())
    return jsonify(
        {
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
    )


@bp.get("/checkin/lists")
@api_staff_or_device
def checkin_lists():
    """The main door and every session whose room has a capacity, with its occupancy and
    whether a badge scanned out may come back in (``reentry``)."""
    return jsonify(
        {
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
    )


WALK_IN_TEXT_FIELDS = ("name", "email", "organisation", "job_title", "category", "language")


def _walk_in_fields(payload: Any) -> dict[str, list[str]]:
    if not isinstance(payload, dict):
        return {"body": [gettext("Must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    for name in WALK_IN_TEXT_FIELDS:
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = [gettext("Must be text.")]
    for name in ("consent", "check_in"):
        value = payload.get(name)
        if value is not None and not isinstance(value, bool):
            errors[name] = [gettext("Must be true or false.")]
    for name, limit in (("gate", MAX_GATE), ("nonce", MAX_NONCE)):
        value = payload.get(name)
        if value is not None and (not isinstance(value, str) or len(value.strip()) > limit):
            errors[name] = [gettext("Must be text of at most %(limit)d characters.", limit=limit)]
    return errors


def _walk_in_invalid(errors: dict[str, list[str]]):
    return problem(
        422, "Invalid registration", gettext("Some fields are missing or wrong; see errors."),
        errors=errors,
    )


@bp.post("/checkin/walk-in")
@api_staff_or_device
def checkin_walk_in():
    """Register a walk-in at the desk (staff login only, never a device token):
    ``{name, email, organisation, job_title?, category, consent: true, check_in?: true,
    gate?, nonce?, language?}`` → 201 ``{ref, status, name, organisation, category,
    badge_url, checkin, nonce}``; ``checkin`` is the check-in answer when the person was
    admitted now. 409 with ``existing`` when the e-mail address is registered already,
    409 without it when the nonce was used before by another scan (nothing is stored)."""
    caller = current_caller()
    if caller is None or caller.kind != "user":
        return problem(403, "Forbidden", "Walk-in registration needs a staff login, not a device token.")
    conference = current_conference(required=False)
    if conference is None:
        return problem(404, "Not Found", "No conference has been loaded yet.")
    payload, error = read_json()
    if error is not None:
        return error
    if errors := _walk_in_fields(payload):
        return _walk_in_invalid(errors)
    language = payload.get("language")
    data = RegistrationData(
        name=payload.get("name") or "",
        email=payload.get("email") or "",
        organisation=payload.get("organisation") or "",
        job_title=payload.get("job_title") or "",
        category_code=payload.get("category") or "",
        consent=payload.get("consent") is True,
        language=language if language in LANGUAGES else current_language(),
    )
    try:
        done = walk_in(
            conference, data, check_in_now=payload.get("check_in", True) is not False,
            gate=payload.get("gate"), nonce=payload.get("nonce"), scanned_by=caller.log_name,
        )
    except InvalidRegistration as exc:
        return _walk_in_invalid(exc.errors)
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
        return invalid([{"name": "body", "reason": str(exc)}])
    person = done.registration
    response = jsonify(
        {
            "ref": person.public_id,
            "status": person.status,
            "name": person.name,
            "organisation": person.organisation,
            "category": person.category.t("name"),
            "badge_url": url_for("checkin.walk_in_badge", public_id=person.public_id)
            if done.badge_ready else None,
            "checkin": scan_answer(done.checkin) if done.checkin is not None else None,
            "nonce": payload.get("nonce") if done.checkin is not None else None,
        }
    )
    response.status_code = 201
    return response
