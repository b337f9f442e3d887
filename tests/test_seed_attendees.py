"""``seed-demo --attendees N``: synthetic registrations for demos and load tests, in every
category and status, with seats, arrivals and cancellations that behave like real ones."""

from __future__ import annotations

import re

from conference.badges.tokens import issue_code
from conference.checkin.revocations import revoked_since
from conference.checkin.service import check_in
from conference.extensions import db
from conference.models import AttendeeCategory, Registration, Scan, Session
from conference.models.seating import SeatBooking, seats_taken

HAN = re.compile(r"[\u4e00-\u9fff]")


def seed(runner, count: int) -> str:
    result = runner.invoke(args=["seed-demo", "--attendees", str(count)])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_category_and_status_with_bilingual_names(app, runner, demo):
    output = seed(runner, 600)
    assert "Added 600 synthetic attendees" in output
    with app.app_context():
        people = db.session.execute(db.select(Registration)).scalars().all()
        assert len(people) == 600
        assert {p.status for p in people} == {
            "confirmed", "pending", "waitlisted", "cancelled", "rejected"}
        categories = db.session.execute(db.select(AttendeeCategory)).scalars().all()
        assert {p.category_id for p in people} == {c.id for c in categories}
        assert any(HAN.search(p.name) for p in people)
        assert any(p.name.isascii() for p in people)
        assert {p.language for p in people} == {"zh", "en"}
        assert all(p.email.endswith("@demo.example.org") for p in people)
        assert len({p.email for p in people}) == 600
        # Nobody pending needs approval in a category that needs none.
        approval = {c.id for c in categories if c.needs_approval}
        assert all(p.category_id in approval for p in people if p.status in ("pending", "rejected"))
        # No category holds more confirmed people than it admits.
        for category in categories:
            held = sum(1 for p in people if p.category_id == category.id
                       and p.status in ("confirmed", "pending"))
            assert category.capacity is None or held <= category.capacity


def test_arrivals_are_logged_and_cancelled_badges_revoked(app, runner, demo):
    seed(runner, 600)
    with app.app_context():
        arrived = db.session.execute(
            db.select(Registration).where(Registration.checked_in_at.is_not(None))).scalars().all()
        assert arrived and all(p.status == "confirmed" for p in arrived)
        entries = db.session.execute(db.select(Scan).where(Scan.kind == "entry")).scalars().all()
        assert {s.registration_id for s in entries} == {p.id for p in arrived}

        # At the door they scan as already in, with their gate; cancelled badges are refused.
        first = arrived[0]
        result = check_in(issue_code(first), gate="Desk", nonce=None, scanned_by="test")
        assert (result.status, result.gate) == ("already_checked_in", first.checked_in_gate)
        cancelled = db.session.execute(db.select(Registration).where(
            Registration.status == "cancelled")).scalars().first()
        assert cancelled.public_id in {r.public_id for r in revoked_since(None, limit=10_000).items}
        assert check_in(issue_code(cancelled), gate="Desk", nonce=None,
                        scanned_by="test").status != "ok"

        newcomer = db.session.execute(db.select(Registration).where(
            Registration.status == "confirmed", Registration.checked_in_at.is_(None),
        )).scalars().first()
        assert check_in(issue_code(newcomer), gate="Desk", nonce=None,
                        scanned_by="test").status == "ok"


def test_seats_never_exceed_capacity_even_when_seeded_twice(app, runner, demo):
    seed(runner, 1500)
    seed(runner, 1500)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 3000
        sessions = db.session.execute(
            db.select(Session).where(Session.capacity.is_not(None))).scalars().all()
        taken = seats_taken([s.id for s in sessions])
        assert sum(taken.values()) > 0
        for session in sessions:
            assert taken.get(session.id, 0) <= session.capacity
        assert db.session.scalar(db.select(db.func.count(SeatBooking.id)).where(
            SeatBooking.status == "waitlisted")) > 0
