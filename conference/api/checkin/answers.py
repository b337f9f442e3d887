"""The JSON a scan is answered with, and the attendee as an undone scan names them: the
builders and the schemas (``conference.api.contract``) their answers are held to."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...checkin.holders import Status
from ...checkin.service import CheckinResult
from ...models import Registration
from ...timefmt import to_local
from ..contract import Answer, DateTimeText

# ISO 8601 in the conference's time zone, with its offset.
LocalTime = DateTimeText


class Attendee(Answer):
    name: str
    organisation: str | None
    category: str | None = Field(description="The category's name, in the request's language.")
    category_colour: str | None


class ScanAnswer(Answer):
    """What a scan decided."""

    status: Status
    attendee: Attendee | None = Field(description="`null` when the code names nobody.")
    checked_in_at: LocalTime | None = Field(description=(
        "When the person was admitted (`ok`, `already_checked_in`) or let out."))
    gate: str | None = Field(description=(
        "Where the person was admitted; else this scan's gate."))
    reentry: Literal[False] | None = Field(None, description=(
        "Present, `false`, when only the list's re-entry setting refused the badge."))


class AnnulAnswer(Answer):
    """A scan taken back."""

    status: Literal["annulled", "already_annulled"]
    nonce: str
    attendee: Attendee | None


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
