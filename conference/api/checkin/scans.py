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

from ...auth.guards import api_staff_or_device, bearer_token, current_caller
from ...auth.service import hash_device_token
from ...badges.tokens import issue_code
from ...checkin.autocommit import autocommit_statements
from ...checkin.holders import door_conference_id
from ...checkin.lookup import registration_by_public_id
from ...checkin.rooms import UnknownList, room_check_in
from ...checkin.service import (
    CheckinInputError,
    NonceConflict,
    check_in,
    first_entry_by_device,
)
from ...checkin.undo import UnknownNonce, annul
from ...errors import problem
from .. import bp
from ..contract import STAFF_OR_DEVICE, InvalidRequest, check, invalid, operation, read_json
from .answers import AnnulAnswer, ScanAnswer, attendee_answer, scan_answer
from .payloads import MAX_BODY_BYTES, AnnulRequest, ManualRequest, ScanRequest

TAGS = ["check-in"]
NONCE_CONFLICT = "The nonce was sent before with another badge or kind of scan."


def _scan_body() -> ScanRequest:
    return check(ScanRequest, read_json(MAX_BODY_BYTES))


@bp.post("/checkin")
@operation(
    summary="Scan a badge", tags=TAGS, access=STAFF_OR_DEVICE, body=ScanRequest,
    body_max_bytes=MAX_BODY_BYTES, manual=True,
    responses={
        200: ScanAnswer,
        404: "`session` names no session held in a room with a capacity.",
        409: NONCE_CONFLICT,
    },
)
def checkin():
    """A badge scanned at the main door, or at a room's door with `session`. A scanner
    device's first entry at the main door is answered by one statement that checks its
    token too (on a pooled connection of its own: the session is never set up);
    everything else is authenticated first, then scanned."""
    token = bearer_token()
    if token:
        answered = _first_entry_by_device(token)
        if answered is not None:
            return answered
    return _authenticated_checkin(one_statement=not token)


def _first_entry_by_device(token: str):
    """The answer when this request is a device's first admission of a badge, else None."""
    try:
        scan = _scan_body()
    except InvalidRequest:
        return None
    if scan.session is not None or scan.kind != "entry":
        return None
    try:
        result = first_entry_by_device(
            scan.code, device_token_hash=hash_device_token(token),
            gate=scan.gate, nonce=scan.nonce, scanned_at=scan.scanned_at,
        )
    except CheckinInputError:
        return None
    return None if result is None else scan_answer(result)


@autocommit_statements  # PostgreSQL: single statements commit alone (see checkin.autocommit)
@api_staff_or_device
def _authenticated_checkin(one_statement: bool):
    scan = _scan_body()
    caller = current_caller()
    fields = {
        "gate": scan.gate,
        "nonce": scan.nonce,
        "kind": scan.kind,
        "scanned_by": caller.log_name if caller else None,
        "scanned_at": scan.scanned_at,
    }
    try:
        if scan.session is not None:
            result = room_check_in(scan.code, scan.session, **fields)
        else:
            result = check_in(scan.code, one_statement=one_statement, **fields)
    except UnknownList:
        return problem(404, "Not Found", "No session with a limited room has this id.")
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return invalid([{"name": "body", "reason": str(exc)}])
    return scan_answer(result)


@bp.post("/checkin/annul")
@operation(
    summary="Take back a scan", tags=TAGS, access=STAFF_OR_DEVICE, body=AnnulRequest,
    body_max_bytes=MAX_BODY_BYTES,
    responses={200: AnnulAnswer, 404: "No scan was logged with this nonce."},
)
def checkin_annul(body: AnnulRequest):
    """Takes back the scan made with this nonce (a mistaken admission, re-entry or exit).
    Annulling a first admission clears it: the badge may be scanned in again."""
    try:
        result = annul(body.nonce.strip())
    except UnknownNonce:
        return problem(404, "Not Found", "No scan was logged with this nonce.")
    return {"status": result.status, "nonce": result.scan.nonce,
            "attendee": attendee_answer(result.registration)}


@bp.post("/checkin/manual")
@operation(
    summary="Check in a person found by search", tags=TAGS, access=STAFF_OR_DEVICE,
    body=ManualRequest, body_max_bytes=MAX_BODY_BYTES,
    responses={
        200: ScanAnswer,
        404: "No registration of the door's conference has this reference.",
        409: NONCE_CONFLICT,
    },
)
def checkin_manual(body: ManualRequest):
    """Check in a person found by search (a lost badge); answers like a scan."""
    person = registration_by_public_id(body.ref)
    if person is None or person.conference_id != door_conference_id():
        return problem(404, "Not Found", "No registration of this conference has this reference.")
    caller = current_caller()
    try:
        result = check_in(
            issue_code(person),
            gate=body.gate,
            nonce=body.nonce,
            kind=body.kind,
            scanned_by=("manual:" + caller.log_name) if caller else "manual",
        )
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return invalid([{"name": "body", "reason": str(exc)}])
    return scan_answer(result)
