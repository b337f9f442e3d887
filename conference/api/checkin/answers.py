"""The JSON a scan is answered with, and the attendee as an undone scan names them."""

from __future__ import annotations

from typing import Any

from ...checkin.service import CheckinResult
from ...models import Registration
from ...timefmt import to_local


def scan_answer(result: CheckinResult) -> dict[str, Any]:
    """``{status, attendee, checked_in_at, gate}`` (and ``reentry: false`` when only the
    list's re-entry setting refused the badge); ``checked_in_at`` is ISO 8601 in the
    conference's time zone."""
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


def attendee_answer(registration: Registration | None) -> dict[str, str | None] | None:
    """A registration as a scan answer's ``attendee``; None for none."""
    if registration is None:
        return None
    return {
        "name": registration.name,
        "organisation": registration.organisation,
        "category": registration.category.t("name"),
        "category_colour": registration.category.colour,
    }
