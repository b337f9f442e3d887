"""Door check-in: one admission per badge, every scan logged, replays answered once.

``check_in`` is the single entry point for the scanner page, the JSON API, the CLI and
(later) offline sync. It verifies the signed badge code, finds the registration, decides
the outcome and admits with one conditional ``UPDATE … WHERE checked_in_at IS NULL``:
the database, not Python, decides which of several simultaneous scans wins. The scan is
appended to the ``scan`` log in the same transaction, committed before returning.

A scan may carry a ``nonce`` (a device-generated id, unique per scan). Sending the same
nonce again returns the first answer and logs nothing new, so a device may retry or
replay an offline queue without admitting anyone twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..badges.tokens import InvalidCode, conference_tag, verify_code
from ..extensions import db
from ..models import Presence, Registration, Scan
from ..models.base import utcnow

Status = Literal[
    "ok", "already_checked_in", "invalid", "revoked", "cancelled", "not_confirmed", "room_full"
]
ScanKind = Literal["entry", "exit"]
SCAN_KINDS: tuple[str, ...] = ("entry", "exit")

MAX_LOGGED_CODE = 300  # Scan.code
MAX_NONCE = 64  # Scan.nonce
MAX_GATE = 60  # Scan.gate, Registration.checked_in_gate
MAX_SCANNED_BY = 120  # Scan.scanned_by

CANCELLED_STATUSES = ("cancelled", "rejected")
UNCONFIRMED_STATUSES = ("pending", "waitlisted")

# Control switch for the concurrency test only: replaces the atomic UPDATE with a read,
# a pause and an unconditional write, so the test can show that the race is real.
UNSAFE_SWITCH = "CHECKIN_UNSAFE_READ_THEN_WRITE"
UNSAFE_PAUSE_SECONDS = 0.05
# After an exit scan, may the same badge enter again? (True unless configured off.)
REENTRY_SWITCH = "CHECKIN_ALLOW_REENTRY"


class CheckinInputError(ValueError):
    """A scan's gate, nonce or kind cannot be stored (too long, unknown kind…)."""


class NonceConflict(ValueError):
    """The nonce was already used for a scan of a different code."""


@dataclass(frozen=True)
class AttendeeView:
    """What the door shows about a person, read before the commit expires the ORM objects."""

    name: str
    organisation: str | None
    category: str  # in the current language
    category_colour: str | None
    timezone: str  # the conference's, for showing times

    @classmethod
    def of(cls, registration: Registration | None) -> AttendeeView | None:
        if registration is None:
            return None
        return cls(
            registration.name,
            registration.organisation,
            registration.category.t("name"),
            registration.category.colour,
            registration.conference.timezone,
        )


@dataclass(frozen=True)
class CheckinResult:
    status: Status
    registration: Registration | None
    checked_in_at: datetime | None  # naive UTC admission time: ok/already_checked_in, exits
    gate: str | None  # where the badge was admitted (ok, already_checked_in), else this scan's gate
    replayed: bool = False  # True when the answer comes from an earlier scan with this nonce
    attendee: AttendeeView | None = None


@dataclass(frozen=True)
class _Decision:
    status: Status
    registration: Registration | None


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


def _decide(code: object) -> _Decision:
    """Everything that can be said about a code before admitting: who, and may they enter."""
    try:
        claim = verify_code(code)  # type: ignore[arg-type]
    except InvalidCode:
        return _Decision("invalid", None)
    registration = db.session.execute(
        db.select(Registration)
        .where(Registration.public_id == claim.public_id)
        .options(joinedload(Registration.conference), joinedload(Registration.category))
    ).scalar_one_or_none()
    if registration is None or conference_tag(registration.conference.slug) != claim.conference_tag:
        return _Decision("invalid", None)
    if claim.version < registration.badge_version:
        return _Decision("revoked", registration)  # the badge was re-issued since
    if claim.version > registration.badge_version:
        return _Decision("invalid", None)  # never issued by this database
    if registration.status in CANCELLED_STATUSES:
        return _Decision("cancelled", registration)
    if registration.status in UNCONFIRMED_STATUSES:
        return _Decision("not_confirmed", registration)
    return _Decision("ok", registration)


def _admit(registration: Registration, at: datetime, gate: str | None) -> bool:
    """Set the check-in time unless it is set already; True when this call set it."""
    if current_app.config.get(UNSAFE_SWITCH):
        return _admit_read_then_write(registration, at, gate)
    result = db.session.execute(
        db.update(Registration)
        .where(Registration.id == registration.id, Registration.checked_in_at.is_(None))
        .values(checked_in_at=at, checked_in_gate=gate)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _admit_read_then_write(registration: Registration, at: datetime, gate: str | None) -> bool:
    """The racy way (for the control test only): two scans can both see 'not checked in'."""
    seen = db.session.execute(
        db.select(Registration.checked_in_at).where(Registration.id == registration.id)
    ).scalar_one()
    if seen is not None:
        return False
    time.sleep(current_app.config.get("CHECKIN_UNSAFE_PAUSE", UNSAFE_PAUSE_SECONDS))
    db.session.execute(
        db.update(Registration)
        .where(Registration.id == registration.id)
        .values(checked_in_at=at, checked_in_gate=gate)
        .execution_options(synchronize_session=False)
    )
    return True


def _reenter(registration: Registration, at: datetime) -> bool:
    """Let an attendee who left come back in; True when this call flipped them inside."""
    if not current_app.config.get(REENTRY_SWITCH, True):
        return False
    result = db.session.execute(
        db.update(Presence)
        .where(Presence.registration_id == registration.id, Presence.inside.is_(False))
        .values(inside=True, changed_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_outside(registration_id: int, at: datetime) -> None:
    """Record that an admitted attendee left (exit scan)."""
    result = db.session.execute(
        db.update(Presence)
        .where(Presence.registration_id == registration_id)
        .values(inside=False, changed_at=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(Presence(registration_id=registration_id, inside=False, changed_at=at))
        except IntegrityError:
            pass  # a simultaneous exit scan wrote the row: it says the same


def _answer_from_log(scan: Scan) -> CheckinResult:
    registration = scan.registration
    status: Status = scan.result  # type: ignore[assignment]
    if registration is not None and scan.kind == "entry" and status in ("ok", "already_checked_in"):
        return CheckinResult(
            status, registration, registration.checked_in_at, registration.checked_in_gate, True,
            AttendeeView.of(registration),
        )
    checked_in_at = None
    if registration is not None and scan.kind == "exit":
        checked_in_at = registration.checked_in_at
    return CheckinResult(status, registration, checked_in_at, scan.gate, True, AttendeeView.of(registration))


def _logged_scan(nonce: str) -> Scan | None:
    return db.session.execute(db.select(Scan).where(Scan.nonce == nonce)).scalar_one_or_none()


def _replay(scan: Scan, code: str) -> CheckinResult:
    if scan.code != code:
        raise NonceConflict("this nonce was already used for another code")
    return _answer_from_log(scan)


def check_in(
    code: str,
    *,
    gate: str | None,
    nonce: str | None,
    kind: ScanKind = "entry",
    scanned_by: str | None,
    scanned_at: datetime | None = None,
) -> CheckinResult:
    """Scan ``code`` at ``gate``; admit on an entry scan when allowed; log the scan.

    ``kind="exit"`` records the person leaving: ``ok`` for a valid badge of a confirmed
    registration (whether or not it was scanned in), nothing about the admission changes.
    ``scanned_at`` (naive UTC) is when the device read the badge; default now.
    Raises ``CheckinInputError`` for an unstorable gate/nonce/kind and ``NonceConflict``
    when ``nonce`` was used before for a different code.
    """
    if kind not in SCAN_KINDS:
        raise CheckinInputError(f"kind must be one of {', '.join(SCAN_KINDS)}")
    gate = _clean_optional(gate, MAX_GATE, "gate")
    nonce = _clean_optional(nonce, MAX_NONCE, "nonce")
    scanned_by = scanned_by[:MAX_SCANNED_BY] if scanned_by else None
    logged_code = _logged_code(code)
    now = utcnow()
    at = scanned_at or now

    try:
        # A replayed nonce is found by the unique constraint on Scan.nonce when the scan is
        # logged: that rolls back this transaction (admission included) and answers from
        # the log, which saves a query on every first scan.
        decision = _decide(code)
        status: Status = decision.status
        registration = decision.registration
        checked_in_at: datetime | None = None
        admitted_gate = gate
        if status == "ok" and kind == "entry":
            if _admit(registration, at, gate):
                # Known without asking the database again: this UPDATE wrote them.
                set_committed_value(registration, "checked_in_at", at)
                set_committed_value(registration, "checked_in_gate", gate)
            else:
                if not _reenter(registration, at):
                    status = "already_checked_in"
                db.session.refresh(registration)  # the earlier admission's time and gate
            checked_in_at = registration.checked_in_at
            admitted_gate = registration.checked_in_gate
        elif status == "ok" and kind == "exit":
            checked_in_at = registration.checked_in_at
            if checked_in_at is not None:
                mark_outside(registration.id, at)

        attendee = AttendeeView.of(registration)
        db.session.add(
            Scan(
                conference_id=registration.conference_id if registration is not None else None,
                registration_id=registration.id if registration is not None else None,
                code=logged_code,
                nonce=nonce,
                gate=gate,
                kind=kind,
                result=status,
                scanned_at=at,
                received_at=now,
                scanned_by=scanned_by,
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            # The same nonce arrived twice at once and the other request logged it first.
            db.session.rollback()
            earlier = _logged_scan(nonce) if nonce is not None else None
            if earlier is None:
                raise
            result = _replay(earlier, logged_code)
            db.session.commit()
            return result
        return CheckinResult(status, registration, checked_in_at, admitted_gate, False, attendee)
    except BaseException:
        db.session.rollback()
        raise
