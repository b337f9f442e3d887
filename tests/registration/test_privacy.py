"""Erasing a person's data is one change: their place handed on, those who move up told,
the badge revoked and the details gone are stored together, or none of it is."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from conference.extensions import db
from conference.models import BadgeRevocation, OutboxMessage, Registration
from conference.registration import privacy
from tests.registration.conference_data import api_body

API = "/api/v1/registrations"


@pytest.fixture
def ada_then_bob(app, client, conference_slug) -> tuple[str, str]:
    """Ada holds the one student place and the one seat of the lab; Bob waits for both.
    Mail is left in the outbox, so only what the erasing queues is there to see."""
    app.config["MAIL_SEND_INLINE"] = False
    body = {"category": "student", "sessions": ["lab"]}
    ada = client.post(API, json=api_body(**body)).json
    bob = client.post(API, json=api_body(email="bob@example.org", name="Bob", **body)).json
    assert (ada["status"], bob["status"]) == ("confirmed", "waitlisted")
    return ada["token"], bob["token"]


def _state(token: str) -> tuple:
    registration = db.session.execute(
        db.select(Registration).where(Registration.token == token)
    ).scalar_one()
    return (
        registration.status,
        registration.email,
        [booking.status for booking in registration.seat_bookings],
    )


def _outbox() -> list[tuple[str, str]]:
    rows = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    return [(row.recipient, row.kind) for row in rows]


def _revoked(token: str) -> list[str]:
    registration = db.session.execute(
        db.select(Registration).where(Registration.token == token)
    ).scalar_one()
    return [
        row.reason
        for row in db.session.execute(
            db.select(BadgeRevocation).where(BadgeRevocation.public_id == registration.public_id)
        ).scalars()
    ]


def test_erasing_hands_the_place_on_and_tells_the_next_in_one_commit(app, ada_then_bob):
    ada, bob = ada_then_bob
    commits = []

    def count(session):
        commits.append(session)

    with app.app_context():
        before = _outbox()
        registration = db.session.execute(
            db.select(Registration).where(Registration.token == ada)
        ).scalar_one()
        session = db.session()  # the one this thread's requests and services use
        event.listen(session, "after_commit", count)
        try:
            privacy.erase_personal_data(registration)
        finally:
            event.remove(session, "after_commit", count)
        db.session.expire_all()
        assert len(commits) == 1
        assert _state(ada) == ("cancelled", None, ["cancelled"])
        assert _state(bob) == ("confirmed", "bob@example.org", ["confirmed"])
        # Bob is told; nothing is queued to the address that was just erased, and the
        # mails it was sent are gone from the outbox.
        assert _outbox() == [
            *[row for row in before if row[0] != "ada@example.org"], ("bob@example.org", "promoted")
        ]
        assert "cancelled" in _revoked(ada)


def test_a_failure_while_erasing_leaves_everything_as_it_was(app, ada_then_bob, monkeypatch):
    ada, bob = ada_then_bob

    def fail(registration):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(privacy, "forget", fail)
    with app.app_context():
        before = _outbox()
        registration = db.session.execute(
            db.select(Registration).where(Registration.token == ada)
        ).scalar_one()
        with pytest.raises(RuntimeError):
            privacy.erase_personal_data(registration)
        db.session.rollback()
        assert _state(ada) == ("confirmed", "ada@example.org", ["confirmed"])
        assert _state(bob) == ("waitlisted", "bob@example.org", ["waitlisted"])
        assert _outbox() == before
        assert _revoked(ada) == []
