"""Helpers of the programme-editing tests: the demo's items by slug, seat holders."""

from __future__ import annotations

from datetime import datetime

from conference.extensions import db
from conference.models import Conference, Room, Session, Speaker
from conference.registration.lifecycle import register
from conference.registration.validation import RegistrationData

# The demo's limited workshop (30 seats, workshop-room, 13:30–15:00 Hefei time).
WORKSHOP = "workshop-mems-calibration"


def conference(slug: str) -> Conference:
    return db.session.execute(db.select(Conference).where(Conference.slug == slug)).scalar_one()


def by_slug(model, slug: str):
    return db.session.execute(db.select(model).where(model.slug == slug)).scalar_one()


def session(slug: str) -> Session:
    return by_slug(Session, slug)


def room(slug: str) -> Room:
    return by_slug(Room, slug)


def speaker(slug: str) -> Speaker:
    return by_slug(Speaker, slug)


def hold_seats(conf: Conference, session_slug: str, people: list[tuple[str, str]]) -> None:
    """Register each (email, language) with a seat (or a place in line) in the session."""
    for email, language in people:
        register(conf, RegistrationData(name=email.split("@")[0], email=email,
                                        category_code="delegate", consent=True, organisation="Acme",
                                        language=language, sessions=[session_slug]),
                 source="cli", skip_questions=True)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)
