"""Reading a check-in request's JSON body and telling the caller what is wrong with it.

A body may hold at most ``MAX_BODY_BYTES``; a faulty one is answered 422 with the fields
in ``invalid_params`` (``[{name, reason}]``). The fields of a scan (``code``, ``gate``,
``nonce``, ``type``, ``session``, ``scanned_at``) are checked here once for the scan, the
lost-badge check-in and the device's first entry alike.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import request

from ...checkin.service import MAX_GATE, MAX_NONCE, SCAN_KINDS
from ...errors import problem
from ...models.base import utcnow

MAX_BODY_BYTES = 10 * 1024
MAX_FUTURE_SKEW = timedelta(minutes=10)  # a device clock may run this far ahead
MAX_OFFLINE_AGE = timedelta(days=30)  # older queued scans are refused


def invalid(params: list[dict[str, str]]):
    """The 422 answer naming each faulty field and why."""
    return problem(
        422,
        "Unprocessable Content",
        "; ".join(f"{p['name']}: {p['reason']}" for p in params),
        invalid_params=params,
    )


def _too_large():
    return problem(413, "Content Too Large", f"The body may hold at most {MAX_BODY_BYTES} bytes.")


def read_json() -> tuple[Any, Any]:
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


def scan_kind(payload: dict) -> Any:
    """The scan's ``type`` as sent (checked by ``scan_field_errors``); ``entry`` when absent."""
    kind = payload.get("type")
    return "entry" if kind is None else kind


def scan_field_errors(payload: Any) -> list[dict[str, str]]:
    """What is wrong with the fields of a scan, as ``invalid`` lists them; [] when nothing."""
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
    kind = scan_kind(payload)
    if kind not in SCAN_KINDS:
        errors.append({"name": "type", "reason": f"must be one of {', '.join(SCAN_KINDS)}"})
    list_id = payload.get("session")
    if list_id is not None and (isinstance(list_id, bool) or not isinstance(list_id, int) or list_id < 1):
        errors.append({"name": "session", "reason": "must be a session id or null"})
    if payload.get("scanned_at") is not None:
        try:
            scan_time(payload)
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
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError as exc:  # 0001-01-01T00:00+14:00 is before year 1 in UTC
            raise ValueError("is out of range") from exc
    return parsed


def scan_time(payload: dict) -> datetime | None:
    """When a scan queued offline was made (``scanned_at``, naive UTC, never after now);
    None for a scan sent as it was made. Raises ``ValueError`` for a time the server
    does not take: unreadable, too far ahead or too old."""
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
