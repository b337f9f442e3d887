"""Print jobs: a bulk badge render running in the background, and its progress."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import one_of, utcnow


class PrintJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PrintJob(db.Model):
    __table_args__ = (one_of("status", PrintJobStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    layout: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(5), default="zh")
    categories: Mapped[str] = mapped_column(String(400), default="")  # codes, comma-separated
    statuses: Mapped[str] = mapped_column(String(200), default="confirmed")
    sort: Mapped[str] = mapped_column(String(20), default="name")
    # Print each badge's back too (the attendee's sessions and the Wi-Fi), for duplex.
    back: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=PrintJobStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0
