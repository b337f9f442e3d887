"""The exports read the registrations a batch at a time: every row comes once, in order of
registration, with its own seats, however many batches it takes."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from conference.demo_attendees import seed_attendees
from conference.extensions import db
from conference.models import Conference, Registration
from conference.models.seating import SeatBooking
from conference.registration import export


def test_every_row_once_in_order_across_batches(app, demo, organiser_client, monkeypatch):
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == demo)).scalar_one()
        seed_attendees(conference, 300)
        people = db.session.execute(
            db.select(Registration).order_by(Registration.id)).scalars().all()
        expected = [(p.name, p.email, p.status) for p in people]
        seated = {b.registration.email for b in db.session.execute(
            db.select(SeatBooking).where(SeatBooking.status == "confirmed")).scalars()}
    monkeypatch.setattr(export, "BATCH", 7)

    response = organiser_client.get("/admin/registrations/export.csv?lang=en")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf") and response.data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    words = {"confirmed": "Confirmed", "pending": "Pending approval",
             "waitlisted": "On the waiting list", "cancelled": "Cancelled",
             "rejected": "Not approved"}
    assert [(r["Name"], r["E-mail"], r["Status"]) for r in rows] == [
        (name, email, words[status]) for name, email, status in expected]
    assert seated
    assert {r["E-mail"] for r in rows if "Seat confirmed" in r.values()} == seated

    response = organiser_client.get("/admin/registrations/export.xlsx?lang=en")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [name for name, _, _ in expected]
