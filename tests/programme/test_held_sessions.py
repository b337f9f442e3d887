"""Changing what people hold: a move, a smaller room, a cancellation — each holder told in
their language through the outbox; seats freed or moved to the waiting list."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

from conference.extensions import db
from conference.models import OutboxMessage, Registration, SeatBooking
from conference.programme import editing
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, room, session

PEOPLE = [("ann@example.org", "en"), ("bo@example.org", "zh"), ("cy@example.org", "en")]


def _mails(kind: str) -> dict[str, OutboxMessage]:
    rows = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.kind == kind))
    return {row.recipient: row for row in rows.scalars()}


def _subject(row: OutboxMessage) -> str:
    return str(make_header(decode_header(message_from_bytes(row.message)["Subject"])))


def _body(row: OutboxMessage) -> str:
    message = message_from_bytes(row.message)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def _seats() -> dict[str, str]:
    rows = db.session.execute(
        db.select(Registration.email, SeatBooking.status)
        .join(SeatBooking.registration).where(SeatBooking.session_id == session(WORKSHOP).id))
    return dict(rows.all())


def test_moving_a_held_session_tells_each_holder_in_their_language(app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, PEOPLE)
        item = session(WORKSHOP)
        later = {"starts_at": item.starts_at + timedelta(hours=3),
                 "ends_at": item.ends_at + timedelta(hours=3), "room_id": room("forum-b").id}
        editing.finish(editing.save_session(item.conference, item, later, allow_clash=True))
        mails = _mails("session_moved")
        assert set(mails) == {email for email, _ in PEOPLE}
        assert "changed" in _subject(mails["ann@example.org"])
        assert "16:30" in _body(mails["ann@example.org"])  # 13:30 Hefei time, three hours on
        assert "变更" in _subject(mails["bo@example.org"])
        assert "16:30" in _body(mails["bo@example.org"])


def test_renaming_a_held_session_mails_nobody(app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, PEOPLE[:1])
        item = session(WORKSHOP)
        editing.finish(editing.save_session(item.conference, item, {"title_en": "Renamed"}))
        assert _mails("session_moved") == {}


def test_a_lowered_capacity_sends_the_latest_booked_to_the_waiting_list(app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, PEOPLE)
        item = session(WORKSHOP)
        editing.finish(editing.save_session(item.conference, item, {"capacity": 1}))
        assert _seats() == {"ann@example.org": "confirmed", "bo@example.org": "waitlisted",
                            "cy@example.org": "waitlisted"}
        assert set(_mails("seat_waitlisted")) == {"bo@example.org", "cy@example.org"}
        item = session(WORKSHOP)
        editing.finish(editing.save_session(item.conference, item, {"capacity": 2}))
        assert _seats()["bo@example.org"] == "confirmed"  # first in line again
        assert set(_mails("seat_promoted")) == {"bo@example.org"}


def test_cancelling_a_held_session_frees_its_seats_and_keeps_it(app, demo, client):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, PEOPLE)
        outcome = editing.remove_session(session(WORKSHOP))
        editing.finish(outcome)
        assert outcome.cancelled
        assert session(WORKSHOP).cancelled
        assert set(_seats().values()) == {"cancelled"}
        mails = _mails("session_cancelled")
        assert set(mails) == {email for email, _ in PEOPLE}
        assert "取消" in _subject(mails["bo@example.org"])
    agenda = client.get("/agenda?lang=en").get_data(as_text=True)
    assert "Cancelled" in agenda
    ics = client.get("/agenda.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in ics
    events = [event for day in client.get("/schedule.json").json["schedule"]["conference"]["days"]
              for room_events in day["rooms"].values() for event in room_events]
    assert [e["subtitle"] for e in events if e["slug"].endswith(WORKSHOP)] == ["Cancelled"]
    # The API says so too, and offers no seat in it (its whole capacity is free again).
    [item] = [item for item in client.get("/api/v1/sessions").json["items"]
              if item["slug"] == WORKSHOP]
    assert (item["status"], item["seats_left"]) == ("cancelled", 0)
    assert {i["status"] for i in client.get("/api/v1/sessions").json["items"]
            if i["slug"] != WORKSHOP} == {"scheduled"}


def test_a_session_nobody_holds_is_deleted(app, demo):
    with app.app_context():
        outcome = editing.remove_session(session(WORKSHOP))
        editing.finish(outcome)
        assert not outcome.cancelled
        assert db.session.execute(db.select(SeatBooking)).first() is None
