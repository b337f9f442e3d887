"""The conference aggregate: the event, its rooms, tracks and attendee categories."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import Bilingual
from .base import edit_version, long_text, utcnow, versioned

if TYPE_CHECKING:
    from .exhibitor import Exhibitor
    from .programme import Session, Speaker
    from .question import Question


class Conference(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    acronym: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    slogan_zh: Mapped[str | None] = mapped_column(String(200))
    slogan_en: Mapped[str | None] = mapped_column(String(200))
    description_zh: Mapped[str | None] = long_text(5_000)
    description_en: Mapped[str | None] = long_text(5_000)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    venue_zh: Mapped[str | None] = mapped_column(String(200))
    venue_en: Mapped[str | None] = mapped_column(String(200))
    address_zh: Mapped[str | None] = mapped_column(String(300))
    address_en: Mapped[str | None] = mapped_column(String(300))
    wifi_network: Mapped[str | None] = mapped_column(String(100))
    wifi_password: Mapped[str | None] = mapped_column(String(100))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Main-door check-in list: may a badge scanned out come back in?
    checkin_reentry: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    rooms: Mapped[list[Room]] = relationship(
        back_populates="conference", order_by="Room.position", cascade="all, delete-orphan"
    )
    tracks: Mapped[list[Track]] = relationship(
        back_populates="conference", order_by="Track.position", cascade="all, delete-orphan"
    )
    categories: Mapped[list[AttendeeCategory]] = relationship(
        back_populates="conference",
        order_by="AttendeeCategory.position",
        cascade="all, delete-orphan",
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="conference", order_by="Session.starts_at", cascade="all, delete-orphan"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )
    exhibitors: Mapped[list[Exhibitor]] = relationship(
        back_populates="conference", order_by="Exhibitor.booth", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="conference",
        order_by="[Question.position, Question.id]",
        cascade="all, delete-orphan",
    )


class Room(Bilingual, db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    location_zh: Mapped[str | None] = mapped_column(String(200))
    location_en: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="rooms")


class Track(Bilingual, db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(7), default="#666666")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="tracks")


class AttendeeCategory(Bilingual, db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    colour: Mapped[str] = mapped_column(String(7), default="#1f6feb")
    capacity: Mapped[int | None]
    needs_approval: Mapped[bool] = mapped_column(default=False)
    public: Mapped[bool] = mapped_column(default=True)
    # Registration window (naive UTC); None means no limit on that side.
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="categories")
