"""The scan log: every scan at a door, whatever its outcome."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import one_of, utcnow

if TYPE_CHECKING:
    from .registration import Registration


class ScanKind(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class ScanResult(StrEnum):
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    NOT_CONFIRMED = "not_confirmed"
    ROOM_FULL = "room_full"


class Scan(db.Model):
    # One index serves the conference's foreign key and every query by time (the door's
    # counters, offline conflicts): one index entry fewer for each scan to write.
    __table_args__ = (
        Index("ix_scan_conference_id_scanned_at", "conference_id", "scanned_at"),
        one_of("kind", ScanKind),
        one_of("result", ScanResult),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE")
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    code: Mapped[str] = mapped_column(String(300))
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    gate: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10), default=ScanKind.ENTRY)
    result: Mapped[str] = mapped_column(String(24))
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    scanned_by: Mapped[str | None] = mapped_column(String(120))
    annulled_at: Mapped[datetime | None]  # set when staff undid this scan
    # The session whose room door was scanned; None for the main door.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))

    registration: Mapped[Registration | None] = relationship()
