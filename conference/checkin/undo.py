"""Undo a scan by its nonce: a mistaken admission, re-entry or exit is taken back.

``annul`` marks the scan with ``annulled_at`` using one conditional UPDATE, so two undo
requests for the same scan take it back once; the second answers ``already_annulled``.
Annulling the scan that first admitted a badge clears the admission (the badge may be
scanned in again); annulling a re-entry puts the attendee back outside; annulling an
exit puts them back inside. Scans that admitted nobody are only marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import audit
from ..extensions import db
from ..models import Presence, Registration, RoomOccupancy, Scan
from ..models.base import utcnow

AnnulStatus = Literal["annulled", "already_annulled"]


class UnknownNonce(LookupError):
    """No scan was logged with this nonce."""


@dataclass(frozen=True)
class AnnulResult:
    status: AnnulStatus
    scan: Scan
    registration: Registration | None


def _mark(scan: Scan) -> bool:
    result = db.session.execute(
        db.update(Scan)
        .where(Scan.id == scan.id, Scan.annulled_at.is_(None))
        .values(annulled_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _undo_entry(scan: Scan) -> None:
    cleared = db.session.execute(
        db.update(Registration)
        .where(
            Registration.id == scan.registration_id,
            Registration.checked_in_at == scan.scanned_at,
        )
        .values(checked_in_at=None, checked_in_gate=None)
        .execution_options(synchronize_session=False)
    )
    if cleared.rowcount == 1:  # this scan was the first admission
        db.session.execute(db.delete(Presence).where(Presence.registration_id == scan.registration_id))
        return
    db.session.execute(  # it was a re-entry: back outside
        db.update(Presence)
        .where(Presence.registration_id == scan.registration_id)
        .values(inside=False)
        .execution_options(synchronize_session=False)
    )


def _undo_exit(scan: Scan) -> None:
    db.session.execute(
        db.update(Presence)
        .where(Presence.registration_id == scan.registration_id)
        .values(inside=True)
        .execution_options(synchronize_session=False)
    )


def _undo_room_scan(scan: Scan) -> None:
    """A room-door entry taken back frees the place; an exit taken back puts them inside."""
    db.session.execute(
        db.update(RoomOccupancy)
        .where(
            RoomOccupancy.session_id == scan.session_id,
            RoomOccupancy.registration_id == scan.registration_id,
        )
        .values(inside=scan.kind != "entry")
        .execution_options(synchronize_session=False)
    )


def _annulled(scan: Scan) -> str:
    """What the audit log says of an annulled scan: its kind, result, gate and badge."""
    who = scan.registration.name if scan.registration is not None else "?"
    return f"{scan.kind} {scan.result} at {scan.gate or '-'}: {who} (nonce {scan.nonce})"


def annul(nonce: str) -> AnnulResult:
    """Take back the scan logged with ``nonce``; raise ``UnknownNonce`` if there is none."""
    try:
        scan = db.session.execute(
            db.select(Scan).where(Scan.nonce == nonce)
        ).scalar_one_or_none()
        if scan is None:
            raise UnknownNonce(nonce)
        if not _mark(scan):
            db.session.commit()
            return AnnulResult("already_annulled", scan, scan.registration)
        if scan.result == "ok" and scan.registration_id is not None:
            if scan.session_id is not None:
                _undo_room_scan(scan)
            else:
                (_undo_entry if scan.kind == "entry" else _undo_exit)(scan)
        audit.record("scan.annul", target=scan, summary=_annulled(scan),
                     changes={"annulled": [False, True]})
        db.session.commit()
        db.session.refresh(scan)
        return AnnulResult("annulled", scan, scan.registration)
    except BaseException:
        db.session.rollback()
        raise
