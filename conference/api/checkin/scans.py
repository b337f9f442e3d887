"""Scans: a badge read at a door, a scan undone, a person checked in by hand.

* ``POST /api/v1/checkin``: ``{code, gate?, nonce?, type?: "entry"|"exit", scanned_at?,
  session?}`` (at most 10 kB; ``scanned_at`` ISO 8601 with offset, for scans queued
  offline) → ``{status, attendee: {name, organisation, category, category_colour} | null,
  checked_in_at, gate}``; ``checked_in_at`` is ISO 8601 in the conference's time zone.
* ``POST /api/v1/checkin/annul``: ``{nonce}`` → ``{status: annulled|already_annulled,
  nonce, attendee}``; 404 for an unknown nonce.
* ``POST /api/v1/checkin/manual``: ``{ref, gate?, nonce?, type?}`` → as a scan; 404 for a
  reference that is not of the door's conference.
Auth: see ``conference.auth.guards.api_staff_or_device``.
"""

from __future__ import annotations

from flask import jsonify

from ...auth.guards import api_staff_or_device, bearer_token, current_caller
from ...auth.service import hash_device_token
from ...badges.tokens import issue_code
from ...checkin.autocommit import autocommit_statements
from ...checkin.holders import door_conference_id
from ...checkin.lookup import registration_by_public_id
from ...checkin.rooms import UnknownList, room_check_in
from ...checkin.service import (
    MAX_NONCE,
    CheckinInputError,
    NonceConflict,
    check_in,
    first_entry_by_device,
)
from ...checkin.undo import UnknownNonce, annul
from ...errors import problem
from .. import bp
from .answers import attendee_answer, scan_answer
from .payloads import invalid, read_json, scan_field_errors, scan_kind, scan_time


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
    payload, error = read_json()
    if error is not None or scan_field_errors(payload) or payload.get("session") is not None:
        return None
    if scan_kind(payload) != "entry":
        return None
    try:
        result = first_entry_by_device(
            payload["code"], device_token_hash=hash_device_token(token),
            gate=payload.get("gate"), nonce=payload.get("nonce"), scanned_at=scan_time(payload),
        )
    except CheckinInputError:
        return None
    return None if result is None else jsonify(scan_answer(result))


@autocommit_statements  # PostgreSQL: single statements commit alone (see checkin.autocommit)
@api_staff_or_device
def _authenticated_checkin(one_statement: bool):
    payload, error = read_json()
    if error is not None:
        return error
    if errors := scan_field_errors(payload):
        return invalid(errors)
    caller = current_caller()
    scan = {
        "gate": payload.get("gate"),
        "nonce": payload.get("nonce"),
        "kind": scan_kind(payload),
        "scanned_by": caller.log_name if caller else None,
        "scanned_at": scan_time(payload),
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
        return invalid([{"name": "body", "reason": str(exc)}])
    return jsonify(scan_answer(result))


@bp.post("/checkin/annul")
@api_staff_or_device
def checkin_annul():
    payload, error = read_json()
    if error is not None:
        return error
    nonce = payload.get("nonce") if isinstance(payload, dict) else None
    if not isinstance(nonce, str) or not nonce.strip() or len(nonce.strip()) > MAX_NONCE:
        return invalid([{"name": "nonce", "reason": f"must be 1 to {MAX_NONCE} characters"}])
    try:
        result = annul(nonce.strip())
    except UnknownNonce:
        return problem(404, "Not Found", "No scan was logged with this nonce.")
    return jsonify(
        {"status": result.status, "nonce": result.scan.nonce, "attendee": attendee_answer(result.registration)}
    )


@bp.post("/checkin/manual")
@api_staff_or_device
def checkin_manual():
    """Check in a person found by search (lost badge): ``{ref, gate?, nonce?, type?}``."""
    payload, error = read_json()
    if error is not None:
        return error
    ref = payload.get("ref") if isinstance(payload, dict) else None
    if not isinstance(ref, str) or not 1 <= len(ref) <= 40:
        return invalid([{"name": "ref", "reason": "must be a registration reference"}])
    person = registration_by_public_id(ref)
    if person is None or person.conference_id != door_conference_id():
        return problem(404, "Not Found", "No registration of this conference has this reference.")
    payload = {**payload, "code": issue_code(person)}
    if errors := scan_field_errors(payload):
        return invalid(errors)
    caller = current_caller()
    try:
        result = check_in(
            payload["code"],
            gate=payload.get("gate"),
            nonce=payload.get("nonce"),
            kind=scan_kind(payload),
            scanned_by=("manual:" + caller.log_name) if caller else "manual",
        )
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return invalid([{"name": "body", "reason": str(exc)}])
    return jsonify(scan_answer(result))
