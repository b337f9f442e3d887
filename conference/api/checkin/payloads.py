"""What a check-in request may send: the bodies of a scan, an undone scan and a check-in
by hand, as schemas (``conference.api.contract``) that both check requests and write the
OpenAPI document.

A body may hold at most ``MAX_BODY_BYTES`` (413 beyond); a faulty one is answered 422 with
the fields in ``invalid_params`` (``[{name, reason}]``). The fields of a scan (``code``,
``gate``, ``nonce``, ``type``, ``session``, ``scanned_at``) are declared here once for the
scan, the lost-badge check-in and the device's first entry alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from flask_babel import gettext
from pydantic import BeforeValidator, Field

from ...boundary import MAX_ID
from ...checkin.scanlog import ScanKind
from ...checkin.service import MAX_GATE, MAX_NONCE
from ...models.base import utcnow
from ..contract import Schema, date_time_or_null

MAX_BODY_BYTES = 10 * 1024
MAX_FUTURE_SKEW = timedelta(minutes=10)  # a device clock may run this far ahead
MAX_OFFLINE_AGE = timedelta(days=30)  # older queued scans are refused
MAX_REF = 40  # a registration's public reference, as search lists it

Gate = Annotated[str | None, Field(max_length=MAX_GATE, description=(
    "Where the scan was made: shown in answers and counted per gate."))]
Nonce = Annotated[str | None, Field(max_length=MAX_NONCE, description=(
    "Unique per scan: sending it again answers as the first time and logs nothing; "
    "lets the scan be undone (`/checkin/annul`)."))]
ListId = Annotated[int, Field(ge=1, le=MAX_ID, description=(
    "A session id from `GET /api/v1/checkin/lists`: scan at that room's door."))]


def parse_utc(value: Any) -> datetime:
    """ISO 8601 text → naive UTC; text without an offset is taken as UTC. Raises
    ``ValueError`` (in the request's language) for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(gettext("Must be an ISO 8601 date and time."))
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(gettext("Must be an ISO 8601 date and time.")) from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00+14:00 is before year 1 in UTC
            raise ValueError(gettext("Out of range.")) from None
    return parsed


def _scan_time(value: Any) -> datetime | None:
    """When a scan queued offline was made, as naive UTC never after now; None for a
    scan sent as it was made. Too far ahead or too old is refused."""
    if value is None:
        return None
    when = parse_utc(value)
    now = utcnow()
    if when > now + MAX_FUTURE_SKEW:
        raise ValueError(gettext("Lies in the future."))
    if when < now - MAX_OFFLINE_AGE:
        raise ValueError(gettext("Is more than 30 days old."))
    return min(when, now)


ScanTime = Annotated[
    datetime | None,
    BeforeValidator(_scan_time),
    date_time_or_null("ISO 8601 with offset: when a scan queued offline was made (at most "
                      "10 minutes ahead of the server, at most 30 days old)."),
]


class ScanFields(Schema):
    gate: Gate = None
    nonce: Nonce = None
    type: ScanKind | None = Field(None, description="`entry` (the default) or `exit`.")

    @property
    def kind(self) -> ScanKind:
        return self.type or "entry"


class ScanRequest(ScanFields):
    """A badge scanned at a door."""

    code: str = Field(description="The text of the badge's QR code.")
    scanned_at: ScanTime = None
    session: ListId | None = None


class ManualRequest(ScanFields):
    """A person found by search checked in by hand (a lost badge)."""

    ref: str = Field(min_length=1, max_length=MAX_REF,
                     description="The registration's reference, as search lists it.")


class AnnulRequest(Schema):
    """The scan to take back."""

    nonce: str = Field(min_length=1, max_length=MAX_NONCE,
                       description="The nonce the scan was sent with.")
