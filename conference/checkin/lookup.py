"""Door desk helpers: find a registration by name or organisation (lost badge), and the
arrival counters shown on the scanner page and the organiser dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..extensions import db
from ..models import Registration, Scan
from ..models.base import utcnow
from ..registration.search import containing, search_text

MAX_RESULTS = 20
RECENT = timedelta(minutes=10)


def search_registrations(query: str, conference_id: int | None) -> list[Registration]:
    """Registrations of conference ``conference_id`` whose name or organisation contains
    ``query`` (at least two characters, case-insensitive); nobody for a shorter query."""
    query = search_text(query)
    if not query:
        return []
    return list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.conference_id == conference_id,
                containing(query, Registration.name, Registration.organisation),
            )
            .order_by(Registration.name, Registration.id)
            .limit(MAX_RESULTS)
        ).scalars()
    )


def registration_by_public_id(public_id: str) -> Registration | None:
    return db.session.execute(
        db.select(Registration).where(Registration.public_id == public_id)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Counters:
    checked_in: int
    expected: int  # confirmed registrations
    per_gate: list[tuple[str | None, int]]  # admissions by gate, most first
    last_10_minutes: int  # admissions (ok entry scans not undone) in the last ten minutes
    since: datetime


def arrival_counters(conference_id: int | None, now: datetime | None = None) -> Counters:
    """The arrival figures of conference ``conference_id``."""
    now = now or utcnow()
    since = now - RECENT
    # One pass over the conference's registrations, grouped by gate: the door and the
    # dashboard ask every few seconds, and no index may cover the check-in columns
    # (check-ins must stay HOT updates: see Registration).
    admitted = Registration.checked_in_at.is_not(None)
    rows = db.session.execute(
        db.select(
            Registration.checked_in_gate,
            db.func.count(Registration.id).filter(admitted),
            db.func.count(Registration.id).filter(Registration.status == "confirmed"),
        )
        .where(Registration.conference_id == conference_id)
        .group_by(Registration.checked_in_gate)
    ).all()
    checked_in = sum(row[1] for row in rows)
    expected = sum(row[2] for row in rows)
    per_gate = sorted(((gate, count) for gate, count, _ in rows if count),
                      key=lambda item: -item[1])
    recent = db.session.execute(
        db.select(db.func.count(Scan.id)).where(
            Scan.conference_id == conference_id,
            Scan.kind == "entry",
            Scan.result == "ok",
            Scan.annulled_at.is_(None),
            Scan.scanned_at >= since,
        )
    ).scalar_one()
    return Counters(checked_in, expected, per_gate, recent, since)


OFFLINE_DELAY = timedelta(seconds=30)  # a scan received this much later was queued offline
MAX_CONFLICTS = 200


@dataclass(frozen=True)
class OfflineConflict:
    """A badge let in by a device while offline although it had been admitted already."""

    scan: Scan
    registration: Registration


def offline_conflicts(conference_id: int | None) -> list[OfflineConflict]:
    """Offline scans at conference ``conference_id`` that the server answered
    ``already_checked_in``, newest first: the device had already let the person in, so
    one badge was admitted twice."""
    candidates = db.session.execute(
        db.select(Scan)
        .where(
            Scan.conference_id == conference_id,
            Scan.kind == "entry",
            Scan.result == "already_checked_in",
            Scan.annulled_at.is_(None),
            Scan.registration_id.is_not(None),
        )
        .order_by(Scan.scanned_at.desc())
        .limit(MAX_CONFLICTS * 10)
    ).scalars()
    found = [
        OfflineConflict(scan, scan.registration)
        for scan in candidates
        if scan.received_at - scan.scanned_at >= OFFLINE_DELAY
    ]
    return found[:MAX_CONFLICTS]
