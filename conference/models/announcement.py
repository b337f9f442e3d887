"""Announcements: one message, in Chinese and English, mailed to a chosen audience."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..i18n import Bilingual
from .base import long_text, one_of, utcnow


class Audience(StrEnum):
    """Who an announcement goes to: every confirmed registration, those of one category,
    or those holding a seat in one session."""

    ALL = "all"
    CATEGORY = "category"
    SESSION = "session"


class Arrival(StrEnum):
    """Narrows the audience by check-in: everyone, those checked in, those not yet."""

    ANY = "any"
    CHECKED_IN = "checked_in"
    NOT_CHECKED_IN = "not_checked_in"


class Announcement(Bilingual, db.Model):
    """A sent announcement. Its messages are in the outbox with kind ``announce:<id>``,
    each in its recipient's language."""

    __table_args__ = (one_of("audience", Audience), one_of("arrival", Arrival))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    subject_zh: Mapped[str] = mapped_column(String(200))
    subject_en: Mapped[str] = mapped_column(String(200))
    body_zh: Mapped[str] = long_text(10_000)
    body_en: Mapped[str] = long_text(10_000)
    audience: Mapped[str] = mapped_column(String(10), default=Audience.ALL)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("attendee_category.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))
    arrival: Mapped[str] = mapped_column(String(16), default=Arrival.ANY)
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    def outbox_kind(self) -> str:
        """The kind of its messages in the outbox (``conference.mail.announcement``)."""
        return f"announce:{self.id}"
