"""The scan log, shared by every check-in list: each scan appended, committed, and a
replayed nonce answered from the log.

A scan may carry a ``nonce`` (a device-generated id, unique per scan). A replayed nonce
is found by the unique constraint on ``scan.nonce`` when the scan is logged: that rolls
back the whole transaction (any admission included) and the first answer is read back
from the log — which saves a query on every first scan. Sending the same nonce for a
different code is refused (``NonceConflict``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Scan
from ..models.base import utcnow
from .autocommit import need_transaction
from .holders import BadgeHolder, Status, holder_by_id
from .reentry import refused_reentry

ScanKind = Literal["entry", "exit"]
SCAN_KINDS: tuple[str, ...] = ("entry", "exit")

MAX_LOGGED_CODE = 300  # Scan.code
MAX_NONCE = 64  # Scan.nonce
MAX_GATE = 60  # Scan.gate, Registration.checked_in_gate
MAX_SCANNED_BY = 120  # Scan.scanned_by

_INSERT_SCAN = Scan.__table__.insert()


class CheckinInputError(ValueError):
    """A scan's gate, nonce or kind cannot be stored (too long, unknown kind…)."""


class NonceConflict(ValueError):
    """The nonce was already used for a scan of a different code."""


@dataclass(frozen=True)
class CheckinResult:
    status: Status
    registration: BadgeHolder | None
    checked_in_at: datetime | None  # naive UTC admission time: ok/already_checked_in, exits
    gate: str | None  # where the badge was admitted (ok, already_checked_in), else this scan's gate
    replayed: bool = False  # True when the answer comes from an earlier scan with this nonce
    # False when an entry was refused only because this list does not allow re-entry
    # after an exit scan; None otherwise.
    reentry: bool | None = None

    @property
    def attendee(self) -> BadgeHolder | None:
        return self.registration


@dataclass(frozen=True)
class ScanRequest:
    """A scan's details, checked and cleaned before anything is read or written."""

    code: object
    logged_code: str
    gate: str | None
    nonce: str | None
    kind: ScanKind
    scanned_by: str | None
    at: datetime  # when the device read the badge (naive UTC)
    received_at: datetime


def _clean_optional(value: str | None, limit: int, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CheckinInputError(f"{name} must be text")
    value = value.strip()
    if len(value) > limit:
        raise CheckinInputError(f"{name} must be at most {limit} characters")
    return value or None


def _logged_code(code: object) -> str:
    text = code if isinstance(code, str) else repr(code)
    return text[:MAX_LOGGED_CODE]


def scan_request(
    code: object,
    *,
    gate: str | None,
    nonce: str | None,
    kind: str,
    scanned_by: str | None,
    scanned_at: datetime | None,
) -> ScanRequest:
    """Raise ``CheckinInputError`` for an unstorable gate, nonce or kind."""
    if kind not in SCAN_KINDS:
        raise CheckinInputError(f"kind must be one of {', '.join(SCAN_KINDS)}")
    now = utcnow()
    return ScanRequest(
        code=code,
        logged_code=_logged_code(code),
        gate=_clean_optional(gate, MAX_GATE, "gate"),
        nonce=_clean_optional(nonce, MAX_NONCE, "nonce"),
        kind=kind,  # type: ignore[arg-type]
        scanned_by=scanned_by[:MAX_SCANNED_BY] if scanned_by else None,
        at=scanned_at or now,
        received_at=now,
    )


def scan_row(
    scan: ScanRequest, status: Status, *, conference_id: int | None, registration_id: int | None,
    session_id: int | None,
) -> dict:
    """The log row of ``scan`` as insert parameters."""
    return {
        "conference_id": conference_id,
        "registration_id": registration_id,
        "session_id": session_id,
        "code": scan.logged_code,
        "nonce": scan.nonce,
        "gate": scan.gate,
        "kind": scan.kind,
        "result": status,
        "scanned_at": scan.at,
        "received_at": scan.received_at,
        "scanned_by": scan.scanned_by,
        "annulled_at": None,
    }


def logged_scan(nonce: str) -> Scan | None:
    return db.session.execute(db.select(Scan).where(Scan.nonce == nonce)).scalar_one_or_none()


def answer_from_log(scan: Scan) -> CheckinResult:
    """The answer first given to the logged ``scan`` (as far as the log and the
    registration tell it now)."""
    holder = holder_by_id(scan.registration_id) if scan.registration_id is not None else None
    status: Status = scan.result  # type: ignore[assignment]
    reentry = None
    if holder is not None and scan.kind == "entry" and status == "already_checked_in":
        reentry = refused_reentry(holder.id, scan.session_id, holder.main_door_reentry)
    if holder is None or scan.session_id is not None:
        return CheckinResult(status, holder, None, scan.gate, True, reentry)
    if scan.kind == "entry" and status in ("ok", "already_checked_in"):
        return CheckinResult(status, holder, holder.checked_in_at, holder.checked_in_gate, True,
                             reentry)
    checked_in_at = holder.checked_in_at if scan.kind == "exit" else None
    return CheckinResult(status, holder, checked_in_at, scan.gate, True)


def _replay(scan: ScanRequest) -> CheckinResult | None:
    """The first answer to this scan's nonce; None when the nonce was never logged."""
    earlier = logged_scan(scan.nonce) if scan.nonce is not None else None
    if earlier is None:
        return None
    if earlier.code != scan.logged_code:
        raise NonceConflict("this nonce was already used for another code")
    return answer_from_log(earlier)


def in_scan_transaction(
    scan: ScanRequest,
    work: Callable[[], tuple[CheckinResult, int | None]],
    *,
    session_id: int | None = None,
) -> CheckinResult:
    """Run ``work`` (decide, admit…), append ``scan`` to the log and commit it all as one
    transaction. ``work`` returns the answer and the conference id to log.

    A nonce used before rolls everything back and answers from the log instead; any
    other failure rolls back and propagates.
    """
    need_transaction()
    try:
        try:
            result, conference_id = work()
            holder = result.registration
            db.session.connection().execute(
                _INSERT_SCAN,
                scan_row(
                    scan, result.status, conference_id=conference_id,
                    registration_id=holder.id if holder is not None else None,
                    session_id=session_id,
                ),
            )
            db.session.commit()
        except IntegrityError:
            # The nonce was logged before (or at the same moment by another request).
            db.session.rollback()
            replayed = _replay(scan)
            if replayed is None:
                raise
            db.session.commit()
            return replayed
        return result
    except BaseException:
        db.session.rollback()
        raise
