"""Registrations in bulk for badge tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration


def add_registrations(app, slug: str, count: int, category: str = "delegate",
                      status: str = "confirmed", prefix: str = "Attendee") -> list[str]:
    """``count`` registrations named ``<prefix> 001``…; returns their badge public ids in
    name order."""
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        chosen = db.session.execute(
            db.select(AttendeeCategory).where(
                AttendeeCategory.conference_id == conference.id,
                AttendeeCategory.code == category,
            )
        ).scalar_one()
        start = datetime(2024, 8, 1, 9, 0)
        registrations = [
            Registration(
                conference=conference, category=chosen, status=status,
                name=f"{prefix} {number:03d}", email=f"{prefix.lower()}{number}@example.org",
                organisation=f"Organisation {count - number:03d}", job_title="Engineer",
                created_at=start + timedelta(minutes=count - number),
            )
            for number in range(1, count + 1)
        ]
        db.session.add_all(registrations)
        db.session.commit()
        return [registration.public_id for registration in registrations]
