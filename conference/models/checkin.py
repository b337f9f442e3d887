"""Check-in state beyond the admission itself: revoked badges and who is inside now."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import one_of, utcnow

ALL_VERSIONS = 65535  # BadgeRevocation.max_version when every version of a badge is void


class RevocationReason(StrEnum):
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    REISSUED = "reissued"


class BadgeRevocation(db.Model):
    """Badge versions up to ``max_version`` of badge ``public_id`` are no longer valid.

    Written when a registration is cancelled or rejected (every version) or its badge is
    re-issued (the versions before the new one). Offline scanners fetch these rows
    incrementally by ``revoked_at``.
    """

    __table_args__ = (one_of("reason", RevocationReason),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    public_id: Mapped[str] = mapped_column(String(20), index=True)
    max_version: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Presence(db.Model):
    """Whether an admitted attendee is inside (False after an exit scan).

    A row exists only once someone has left; re-entry flips ``inside`` back with one
    conditional UPDATE, so two simultaneous re-entry scans admit once.
    """

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    inside: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomOccupancy(db.Model):
    """Who is inside a session's room, for sessions whose room has a capacity."""

    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    inside: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
