"""The programme aggregate: sessions and the speakers who give them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import Bilingual
from .base import edit_version, long_text, one_of, versioned

if TYPE_CHECKING:
    from .conference import Conference, Room, Track


class SessionKind(StrEnum):
    CEREMONY = "ceremony"
    KEYNOTE = "keynote"
    TALK = "talk"
    FORUM = "forum"
    PANEL = "panel"
    WORKSHOP = "workshop"
    BREAK = "break"
    NETWORKING = "networking"


SESSION_KINDS = tuple(SessionKind)  # for membership tests, as ``in SessionKind`` raises


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    # Kept on the agenda, marked cancelled: people held seats in it and were told.
    CANCELLED = "cancelled"

session_speaker = Table(
    "session_speaker",
    db.metadata,
    Column("session_id", ForeignKey("session.id", ondelete="CASCADE"), primary_key=True),
    Column("speaker_id", ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Session(Bilingual, db.Model):
    """One item of the agenda (a talk, a forum, a break…); times are naive UTC."""

    __table_args__ = (
        UniqueConstraint("conference_id", "slug"),
        one_of("kind", SessionKind),
        one_of("status", SessionStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    abstract_zh: Mapped[str | None] = long_text(10_000)
    abstract_en: Mapped[str | None] = long_text(10_000)
    kind: Mapped[str] = mapped_column(String(20), default=SessionKind.TALK)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id"))
    capacity: Mapped[int | None]
    # Room-door check-in list of this session: may someone who left come back in?
    reentry_allowed: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(
        String(20), default=SessionStatus.SCHEDULED, server_default="scheduled"
    )
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="sessions")
    room: Mapped[Room] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(
        secondary=session_speaker,
        order_by=session_speaker.c.position,
        back_populates="sessions",
    )

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Speaker(Bilingual, db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    title_zh: Mapped[str | None] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    organisation_zh: Mapped[str | None] = mapped_column(String(200))
    organisation_en: Mapped[str | None] = mapped_column(String(200))
    bio_zh: Mapped[str | None] = long_text(5_000)
    bio_en: Mapped[str | None] = long_text(5_000)
    # The stored photo's file name under UPLOAD_DIR (a digest of its content), or None.
    photo: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="speakers")
    sessions: Mapped[list[Session]] = relationship(
        secondary=session_speaker, back_populates="speakers", order_by="Session.starts_at"
    )
