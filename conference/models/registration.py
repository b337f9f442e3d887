"""Registrations: one person's place at a conference, and the badge it carries."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import DDL, ForeignKey, Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import one_of, utcnow

if TYPE_CHECKING:
    from .conference import AttendeeCategory, Conference
    from .question import Answer
    from .seating import SeatBooking


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class RegistrationSource(StrEnum):
    """Where a registration came from: the web form, the JSON API, the desk (walk-in), the CLI."""

    WEB = "web"
    API = "api"
    DESK = "desk"
    CLI = "cli"


# For membership tests: ``value in SomeEnum`` raises TypeError before Python 3.12.
REGISTRATION_STATUSES = tuple(RegistrationStatus)
REGISTRATION_SOURCES = tuple(RegistrationSource)


# Longest manage token stored or looked up (``new_manage_token`` makes 32 characters).
MAX_TOKEN_LENGTH = 64


def new_manage_token() -> str:
    """Random token for the attendee's manage link (never a sequential id)."""
    return secrets.token_urlsafe(24)


def new_public_id() -> str:
    """Random badge id printed in the QR code: 10 random bytes as hex."""
    return secrets.token_hex(10)


# Free room left in each table page on PostgreSQL, so that checking a badge in (which
# changes no indexed column) writes the new row version into the same page: no new index
# entries (a "HOT" update).
FILLFACTOR = 90


# A cancelled registration frees its e-mail address: the person may register again (a new
# row, with a new badge), while the cancelled one stays as history. Every other status —
# rejected included — keeps the address taken at its conference: a rejected person is to
# contact the organisers, not register again. The partial unique index below holds the
# same rule; ``address_taken`` and ``may_register_again`` ask it.
ADDRESS_FREEING_STATUS = RegistrationStatus.CANCELLED
_HOLDS_ITS_ADDRESS = text(f"status <> '{ADDRESS_FREEING_STATUS}'")


# What the organisers' and the door's searches look in.
SEARCHED_COLUMNS = ("name", "email", "organisation")


class Registration(db.Model):
    __table_args__ = (
        Index(
            "uq_registration_conference_id_email_not_cancelled",
            "conference_id",
            "email",
            unique=True,
            postgresql_where=_HOLDS_ITS_ADDRESS,
            sqlite_where=_HOLDS_ITS_ADDRESS,
        ),
        one_of("status", RegistrationStatus),
        one_of("source", RegistrationSource),
        # The organiser's list: a page in order of registration, the count per status.
        Index("ix_registration_conference_id_id", "conference_id", "id"),
        Index("ix_registration_conference_id_status", "conference_id", "status"),
        # The places a category holds, counted under its lock by every registration.
        Index("ix_registration_category_id_status", "category_id", "status"),
        # Its search ("contains", whatever the case) on PostgreSQL: trigram indexes that
        # ILIKE '%…%' can use (plain indexes on SQLite, which searches by scanning).
        # None holds a column that a check-in changes, so check-ins stay HOT updates.
        *(Index(f"ix_registration_{column}_trgm", column, postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"})
          for column in SEARCHED_COLUMNS),
        {"postgresql_with": {"fillfactor": FILLFACTOR}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(MAX_TOKEN_LENGTH), unique=True, default=new_manage_token)
    public_id: Mapped[str] = mapped_column(String(20), unique=True, default=new_public_id)
    badge_version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("attendee_category.id"))
    status: Mapped[str] = mapped_column(
        String(20), default=RegistrationStatus.CONFIRMED, index=True
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[datetime | None]
    checked_in_gate: Mapped[str | None] = mapped_column(String(60))
    # Set when a place freed by a cancellation went to this registration.
    promoted_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(10), default=RegistrationSource.WEB)

    conference: Mapped[Conference] = relationship()
    category: Mapped[AttendeeCategory] = relationship()
    seat_bookings: Mapped[list[SeatBooking]] = relationship(
        back_populates="registration", order_by="SeatBooking.id", cascade="all, delete-orphan"
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="registration", order_by="Answer.question_id", cascade="all, delete-orphan"
    )


def find_by_token(token: str) -> Registration | None:
    """The registration whose manage link carries ``token``, if any."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.execute(
        db.select(Registration).where(Registration.token == token)
    ).scalar_one_or_none()


def address_taken(conference: Conference, email: str) -> bool:
    """A registration of ``conference`` that is not cancelled holds ``email``."""
    return (
        db.session.execute(
            db.select(Registration.id).where(
                Registration.conference_id == conference.id,
                Registration.email == email,
                Registration.status != ADDRESS_FREEING_STATUS,
            )
        ).first()
        is not None
    )


def may_register_again(registration: Registration) -> bool:
    """The registration was cancelled and nobody holds its address at its conference now:
    its person may register again with it (a new registration, with a new badge)."""
    return (
        registration.status == ADDRESS_FREEING_STATUS
        and registration.email is not None
        and not address_taken(registration.conference, registration.email)
    )


# The trigram operator classes come with PostgreSQL's pg_trgm extension.
event.listen(
    Registration.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
