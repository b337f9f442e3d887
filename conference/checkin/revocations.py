"""The revocation list offline scanners keep: which badge versions are no longer valid.

A row is written, in the same flush, whenever a registration's status becomes cancelled
or rejected (every version of its badge) or its ``badge_version`` goes up (the older
versions). This is done by a ``before_flush`` hook on the ORM session, so any code that
changes a registration through the ORM records the revocation without knowing of it.
``revoked_since`` serves the incremental list of ``GET /api/v1/checkin/revoked``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import BadgeRevocation, Registration
from ..models.base import utcnow
from ..models.checkin import ALL_VERSIONS

REVOKING_STATUSES = ("cancelled", "rejected")
MAX_ITEMS = 5000


def _changes(registration: Registration) -> list[tuple[int, str]]:
    """(max_version, reason) revocations implied by this flush's changes to ``registration``."""
    state = inspect(registration)
    found: list[tuple[int, str]] = []
    status = state.attrs.status.history
    if status.added and status.added[0] in REVOKING_STATUSES and (
        not status.deleted or status.deleted[0] not in REVOKING_STATUSES
    ):
        found.append((ALL_VERSIONS, status.added[0]))
    version = state.attrs.badge_version.history
    if version.added and version.deleted and version.deleted[0] is not None:
        new, old = version.added[0], version.deleted[0]
        if new is not None and new > old:
            found.append((new - 1, "reissued"))
    return found


@event.listens_for(Session, "before_flush")
def _record_revocations(session: Session, flush_context, instances) -> None:
    now = utcnow()
    for obj in list(session.dirty):
        if not isinstance(obj, Registration) or not session.is_modified(obj):
            continue
        for max_version, reason in _changes(obj):
            session.add(
                BadgeRevocation(
                    conference_id=obj.conference_id,
                    public_id=obj.public_id,
                    max_version=max_version,
                    reason=reason,
                    revoked_at=now,
                )
            )


@dataclass(frozen=True)
class RevocationPage:
    items: list[BadgeRevocation]
    until: datetime | None  # pass back as ``since`` for the next page; None: nothing yet
    complete: bool  # False when more rows wait beyond ``until``


def revoked_since(since: datetime | None, limit: int = MAX_ITEMS) -> RevocationPage:
    """Revocations recorded strictly after ``since`` (all when None), oldest first."""
    query = db.select(BadgeRevocation).order_by(BadgeRevocation.revoked_at, BadgeRevocation.id)
    if since is not None:
        query = query.where(BadgeRevocation.revoked_at > since)
    rows = list(db.session.execute(query.limit(limit + 1)).scalars())
    complete = len(rows) <= limit
    rows = rows[:limit]
    if not complete:
        # Never cut between rows of one timestamp: the next page starts after ``until``.
        last = rows[-1].revoked_at
        trimmed = [row for row in rows if row.revoked_at < last]
        rows = trimmed or rows
    until = rows[-1].revoked_at if rows else since
    return RevocationPage(rows, until, complete)
