"""``POST /api/v1/checkin``: scan a badge code at a door.

Request: a JSON object ``{code, gate?, nonce?, type?: "entry"|"exit"}`` of at most 10 kB.
Answer 200: ``{status, attendee: {name, organisation, category, category_colour} | null,
checked_in_at, gate}``; ``checked_in_at`` is ISO 8601 in the conference's time zone.
Auth: see ``conference.auth.guards.api_staff_or_device``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import jsonify, request

from ..auth.guards import api_staff_or_device, current_caller
from ..checkin.service import (
    MAX_GATE,
    MAX_NONCE,
    SCAN_KINDS,
    CheckinInputError,
    CheckinResult,
    NonceConflict,
    check_in,
)
from ..errors import problem
from ..models import Registration
from ..timefmt import to_local
from . import bp

MAX_BODY_BYTES = 10 * 1024


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
    raw = request.get_data(cache=False)
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
    return errors


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
    registration = result.registration
    checked_in_at = None
    if result.checked_in_at is not None and registration is not None:
        checked_in_at = to_local(result.checked_in_at, registration.conference.timezone).isoformat()
    return {
        "status": result.status,
        "attendee": _attendee(registration),
        "checked_in_at": checked_in_at,
        "gate": result.gate,
    }


@bp.post("/checkin")
@api_staff_or_device
def checkin():
    payload, error = _read_json()
    if error is not None:
        return error
    if errors := _check_fields(payload):
        return _invalid(errors)
    caller = current_caller()
    try:
        result = check_in(
            payload["code"],
            gate=payload.get("gate"),
            nonce=payload.get("nonce"),
            kind=_kind(payload),
            scanned_by=caller.log_name if caller else None,
        )
    except NonceConflict as exc:
        return problem(409, "Conflict", str(exc))
    except CheckinInputError as exc:
        return _invalid([{"name": "body", "reason": str(exc)}])
    return jsonify(_answer(result))
