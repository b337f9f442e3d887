"""The check-in API for scanners.

* ``POST /api/v1/checkin``: ``{code, gate?, nonce?, type?: "entry"|"exit", scanned_at?}``
  (at most 10 kB; ``scanned_at`` ISO 8601 with offset, for scans queued offline) →
  ``{status, attendee: {name, organisation, category, category_colour} | null,
  checked_in_at, gate}``; ``checked_in_at`` is ISO 8601 in the conference's time zone.
* ``POST /api/v1/checkin/annul``: ``{nonce}`` → ``{status: annulled|already_annulled,
  nonce, attendee}``; 404 for an unknown nonce.
* ``GET /api/v1/checkin/keys`` (public): the badge verification key, raw Ed25519 in
  base64url with its key id, and the tags a scanner needs offline: of the door's conference
  (the current one) and its categories only, so that offline, too, no other badge enters.
* ``GET /api/v1/checkin/revoked?since=ISO``: revoked badge versions recorded after
  ``since``; ``until`` is the ``since`` of the next call.
* ``POST /api/v1/checkin/walk-in``: register a walk-in at the desk (staff login only),
  optionally admitting them at once; see ``checkin_walk_in``.
Auth (except keys): see ``conference.auth.guards.api_staff_or_device``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext

from ..auth.guards import api_staff_or_device, bearer_token, current_caller
from ..auth.service import hash_device_token
from ..badges.tokens import category_tag, conference_tag, issue_code, public_key_bytes
from ..checkin.autocommit import autocommit_statements
from ..checkin.holders import door_conference_id
from ..checkin.lists import checkin_lists as lists_of
from ..checkin.lookup import arrival_counters, registration_by_public_id, search_registrations
from ..checkin.revocations import revoked_since
from ..checkin.rooms import UnknownList, room_check_in
from ..checkin.service import (
    MAX_GATE,
    MAX_NONCE,
    SCAN_KINDS,
    CheckinInputError,
    CheckinResult,
    NonceConflict,
    check_in,
    first_entry_by_device,
)
from ..checkin.undo import UnknownNonce, annul
from ..checkin.walkin import registration_by_email, walk_in
from ..current import current_conference
from ..errors import problem
from ..i18n import LANGUAGES, current_language
from ..models import Registration
from ..models.base import utcnow
from ..registration.validation import DuplicateEmail, InvalidRegistration, RegistrationData
from ..timefmt import to_local
from . import bp

MAX_BODY_BYTES = 10 * 1024
MAX_FUTURE_SKEW = timedelta(minutes=10)  # a device clock may run this far ahead
MAX_OFFLINE_AGE = timedelta(days=30)  # older queued scans are refused


def _invalid(params: list[dict[str, str]]):
    return problem(
        422,
        "Unprocessable Content",
        "; ".join(f"{p['name']}: {p['reason']}" for p in params),
        invalid_params=params,
    )


def _too_large():
    return problem(413, "Content Too Large", f"The body may hold at most {MAX_BODY_BYTES} bytes.")


def _read_json() -> tuple[Any, Any]:
    """(payload, None) or (None, problem response)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None, _too_large()
    raw = request.get_data(cache=True)  # read twice by a device's scan: at most 10 kB
    if len(raw) > MAX_BODY_BYTES:
        return None, _too_large()
    try:
        return json.loads(raw), None
    except (ValueError, UnicodeDecodeError):
        return None, problem(400, "Bad Request", "The body must be a JSON object.")


def _kind(payload: dict) -> Any:
    kind = payload.get("type")
    return "entry" if kind is None else kind


def _check_fields(payload: Any) -> list[dict[str, str]]:
    if not isinstance(payload, dict):
        return [{"name": "body", "reason": "must be a JSON object"}]
    errors = []
    if "code" not in payload:
        errors.append({"name": "code", "reason": "is required"})
    elif not isinstance(payload["code"], str):
        errors.append({"name": "code", "reason": "must be a string"})
    for name, limit in (("gate", MAX_GATE), ("nonce", MAX_NONCE)):
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            errors.append({"name": name, "reason": "must be a string or null"})
        elif value is not None and len(value.strip()) > limit:
            errors.append({"name": name, "reason": f"must be at most {limit} characters"})
    kind = _kind(payload)
    if kind not in SCAN_KINDS:
        errors.append({"name": "type", "reason": f"must be one of {', '.join(SCAN_KINDS)}"})
    list_id = payload.get("session")
    if list_id is not None and (isinstance(list_id, bool) or not isinstance(list_id, int) or list_id < 1):
        errors.append({"name": "session", "reason": "must be a session id or null"})
    if payload.get("scanned_at") is not None:
        try:
            _scanned_at(payload)
        except ValueError as exc:
            errors.append({"name": "scanned_at", "reason": str(exc)})
    return errors


def parse_utc(value: Any) -> datetime:
    """ISO 8601 text → naive UTC; text without an offset is taken as UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("must be an ISO 8601 date-time")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError("must be an ISO 8601 date-time") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _scanned_at(payload: dict) -> datetime | None:
    value = payload.get("scanned_at")
    if value is None:
        return None
    when = parse_utc(value)
    now = utcnow()
    if when > now + MAX_FUTURE_SKEW:
        raise ValueError("lies in the future")
    if when < now - MAX_OFFLINE_AGE:
        raise ValueError("is too old")
    return min(when, now)


def _attendee(registration: Registration | None) -> dict[str, str | None] | None:
    if registration is None:
        return None
    return {
        "name": registration.name,
        "organisation": registration.organisation,
        "category": registration.category.t("name"),
        "category_colour": registration.category.colour,
    }


def _answer(result: CheckinResult) -> dict[str, Any]:
    attendee = result.attendee
    checked_in_at = None
    if result.checked_in_at is not None and attendee is not None:
        checked_in_at = to_local(result.checked_in_at, attendee.timezone).isoformat()
    answer = {
        "status": result.status,
        "attendee": None if attendee is None else {
            "name": attendee.name,
            "organisation": attendee.organisation,
            "category": attendee.category,
            "category_colour": attendee.category_colour,
        },
        "checked_in_at": checked_in_at,
        "gate": result.gate,
    }
    if result.reentry is False:
        answer["reentry"] = False  # refused only because this list allows no re-entry
    return answer


@bp.post("/checkin")
def checkin():
    """A scanner device's first entry at the main door is answered by one statement that
    checks its token too (on a pooled connection of its own: the session is never set
    up); everything else is authenticated first, then scanned."""
    token = bearer_token()
    if token:
        answered = _first_entry_by_device(token)
        if answered is not None:
            return answered
    return _authenticated_checkin(one_statement=not token)


def _first_entry_by_device(token: str):
    """The answer when this request is a device's first admission of a badge, else None."""
    payload, error = _read_json()
    if error is not None or _check_fields(payload) or payload.get("session") is not None:
        return None
    if _kind(payload) != "entry":
        return None
    try:
        result = first_entry_by_device(
            payload["code"], device_token_hash=hash_device_token(token),
            gate=payload.get("gate"), nonce=payload.get("nonce"), scanned_at=_scanned_at(payload),
        )
    except CheckinInputError:
        return None
    return None if result is None else jsonify(_answer(result))


@autocommit_statements  # PostgreSQL: single statements commit alone (see checkin.autocommit)
@api_staff_or_device
def _authenticated_checkin(one_statement: bool):
    payload, error = _read_json()
    if error is not None:
        return error
    if errors := _check_fields(payload):
        return _invalid(errors)
    caller = current_caller()
    scan = {
        "gate": payload.get("gate"),
        "nonce": payload.get("nonce"),
        "kind": _kind(payload),
        "scanned_by": caller.log_name if caller else None,
        "scanned_at": _scanned_at(payload),
    }
    try:
        if payload.get("session") is not None:
            result = room_check_in(payload["code"], payload["session"], **scan)
        else:
            result = check_in(payload["code"], one_statement=one_statement, **scan)
    except UnknownList:
        return problem(404, "Not Found", "No session with a limited room has this id.")
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return _invalid([{"name": "body", "reason": str(exc)}])
    return jsonify(_answer(result))


@bp.post("/checkin/annul")
@api_staff_or_device
def checkin_annul():
    payload, error = _read_json()
    if error is not None:
        return error
    nonce = payload.get("nonce") if isinstance(payload, dict) else None
    if not isinstance(nonce, str) or not nonce.strip() or len(nonce.strip()) > MAX_NONCE:
        return _invalid([{"name": "nonce", "reason": f"must be 1 to {MAX_NONCE} characters"}])
    try:
        result = annul(nonce.strip())
    except UnknownNonce:
        return problem(404, "Not Found", "No scan was logged with this nonce.")
    return jsonify(
        {"status": result.status, "nonce": result.scan.nonce, "attendee": _attendee(result.registration)}
    )


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@bp.get("/checkin/keys")
def checkin_keys():
    key = public_key_bytes()
    door = current_conference(required=False)  # offline, a scanner admits to this one only
    conferences = [] if door is None else [door]
    response = jsonify(
        {
            "keys": [
                {
                    "kid": hashlib.sha256(key).hexdigest()[:16],
                    "alg": "Ed25519",
                    "public_key": _b64url(key),
                }
            ],
            "code_format": 1,
            "conferences": [
                {
                    "slug": conference.slug,
                    "tag": conference_tag(conference.slug),
                    "categories": [
                        {
                            "tag": category_tag(category.code),
                            "name": category.t("name"),
                            "colour": category.colour,
                        }
                        for category in conference.categories
                    ],
                }
                for conference in conferences
            ],
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/checkin/revoked")
@api_staff_or_device
def checkin_revoked():
    since_text = request.args.get("since")
    since = None
    if since_text:
        try:
            since = parse_utc(since_text)
        except ValueError as exc:
            return _invalid([{"name": "since", "reason": str(exc)}])
    page = revoked_since(since)
    stamp = lambda value: value.replace(tzinfo=UTC).isoformat() if value else None
    return jsonify(
        {
            "items": [
                {
                    "public_id": row.public_id,
                    "max_version": row.max_version,
                    "reason": row.reason,
                    "revoked_at": stamp(row.revoked_at),
                }
                for row in page.items
            ],
            "until": stamp(page.until),
            "complete": page.complete,
        }
    )


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


@bp.post("/checkin/manual")
@api_staff_or_device
def checkin_manual():
    """Check in a person found by search (lost badge): ``{ref, gate?, nonce?}``."""
    payload, error = _read_json()
    if error is not None:
        return error
    ref = payload.get("ref") if isinstance(payload, dict) else None
    if not isinstance(ref, str) or not 1 <= len(ref) <= 40:
        return _invalid([{"name": "ref", "reason": "must be a registration reference"}])
    person = registration_by_public_id(ref)
    if person is None or person.conference_id != door_conference_id():
        return problem(404, "Not Found", "No registration of this conference has this reference.")
    payload = {**payload, "code": issue_code(person)}
    if errors := _check_fields(payload):
        return _invalid(errors)
    caller = current_caller()
    try:
        result = check_in(
            payload["code"],
            gate=payload.get("gate"),
            nonce=payload.get("nonce"),
            kind=_kind(payload),
            scanned_by=("manual:" + caller.log_name) if caller else "manual",
        )
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return _invalid([{"name": "body", "reason": str(exc)}])
    return jsonify(_answer(result))


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
    admitted now. 409 with ``existing`` when the e-mail address is registered already."""
    caller = current_caller()
    if caller is None or caller.kind != "user":
        return problem(403, "Forbidden", "Walk-in registration needs a staff login, not a device token.")
    conference = current_conference(required=False)
    if conference is None:
        return problem(404, "Not Found", "No conference has been loaded yet.")
    payload, error = _read_json()
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
    except CheckinInputError as exc:
        return _invalid([{"name": "body", "reason": str(exc)}])
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
            "checkin": _answer(done.checkin) if done.checkin is not None else None,
            "nonce": payload.get("nonce") if done.checkin is not None else None,
        }
    )
    response.status_code = 201
    return response
