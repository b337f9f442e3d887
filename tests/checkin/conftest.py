"""Registrations with badge codes, device tokens, a helper to scan through the API, and
another edition of the conference in the same database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from conference.auth.service import issue_device_token
from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration, Scan

API = "/api/v1/checkin"


@dataclass(frozen=True)
class Badge:
    registration_id: int
    code: str


@pytest.fixture
def conference_id(app, demo) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(Conference.id).where(Conference.slug == demo)
        ).scalar_one()


@pytest.fixture
def register(app, conference_id):
    """``register(status=…, name=…, organisation=…)`` → Badge of a new registration."""

    def make(status: str = "confirmed", name: str = "Zhang Wei",
             organisation: str | None = "Hefei Sensor Lab") -> Badge:
        with app.app_context():
            conference = db.session.get(Conference, conference_id)
            registration = Registration(
                conference=conference,
                category=conference.categories[0],
                name=name,
                email=f"{uuid.uuid4().hex[:12]}@example.org",
                organisation=organisation,
                status=status,
            )
            db.session.add(registration)
            db.session.commit()
            return Badge(registration.id, issue_code(registration))

    return make


@pytest.fixture
def device_token(app) -> str:
    with app.app_context():
        return issue_device_token("Gate A phone")


@pytest.fixture
def scan_api(client, device_token):
    """POST a JSON body to the check-in API as a scanner device."""

    def post(body=None, **kwargs):
        headers = {"Authorization": f"Bearer {device_token}", **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return client.post(API, headers=headers, **kwargs)

    return post


def scan_rows(app) -> list[Scan]:
    with app.app_context():
        rows = db.session.execute(db.select(Scan).order_by(Scan.id)).scalars().all()
        db.session.expunge_all()
        return rows


def registration(app, registration_id: int) -> Registration:
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        db.session.expunge(row)
        return row


def add_edition(app, slug: str, starts_on: date) -> str:
    """Another one-day conference with one category (``delegate``) in the same database;
    the latest by ``starts_on`` is the site's current one."""
    with app.app_context():
        conference = Conference(slug=slug, acronym=slug.split("-")[0].upper(),
                                name_en=slug.replace("-", " ").capitalize(),
                                starts_on=starts_on, ends_on=starts_on, timezone="Asia/Shanghai")
        conference.categories.append(AttendeeCategory(code="delegate", name_en="Delegate"))
        db.session.add(conference)
        db.session.commit()
        return conference.slug
