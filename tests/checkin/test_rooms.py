"""Room-door check-in lists: occupancy, room_full, exit and re-entry, replay."""

from __future__ import annotations

import pytest

from conference.extensions import db
from conference.models import Room, Session
from tests.checkin.conftest import API, scan_rows


@pytest.fixture
def small_session(app, conference_id) -> int:
    """A session of the demo conference moved into a room that holds two people."""
    with app.app_context():
        session = db.session.execute(
            db.select(Session).where(Session.conference_id == conference_id).order_by(Session.id)
        ).scalars().first()
        session.room.capacity = 2
        db.session.commit()
        return session.id


def test_lists_name_the_main_door_and_limited_rooms(client, device_token, small_session):
    items = client.get(API + "/lists", headers={"Authorization": f"Bearer {device_token}"}).get_json()["items"]
    assert items[0]["session"] is None
    limited = {item["session"]: item for item in items[1:]}
    assert limited[small_session]["capacity"] == 2 and limited[small_session]["inside"] == 0


def test_a_full_room_answers_room_full_until_someone_leaves(app, scan_api, register, small_session):
    a, b, c = register(name="A"), register(name="B"), register(name="C")
    door = {"session": small_session, "gate": "Room door"}
    assert scan_api({**door, "code": a.code}).get_json()["status"] == "ok"
    assert scan_api({**door, "code": a.code}).get_json()["status"] == "already_checked_in"
    assert scan_api({**door, "code": b.code}).get_json()["status"] == "ok"
    full = scan_api({**door, "code": c.code}).get_json()
    assert full["status"] == "room_full" and full["attendee"]["name"] == "C"
    assert scan_api({**door, "code": a.code, "type": "exit"}).get_json()["status"] == "ok"
    assert scan_api({**door, "code": c.code}).get_json()["status"] == "ok"
    assert scan_api({**door, "code": a.code}).get_json()["status"] == "room_full"
    assert {row.session_id for row in scan_rows(app)} == {small_session}


def test_room_scans_leave_the_main_door_alone(app, scan_api, register, small_session):
    badge = register()
    assert scan_api({"code": badge.code, "session": small_session}).get_json()["status"] == "ok"
    assert scan_api({"code": badge.code}).get_json()["status"] == "ok"  # main door: first admission


def test_room_scan_replay_and_bad_lists(scan_api, register, small_session, app):
    badge = register()
    first = scan_api({"code": badge.code, "session": small_session, "nonce": "r1"}).get_json()
    again = scan_api({"code": badge.code, "session": small_session, "nonce": "r1"}).get_json()
    assert first["status"] == again["status"] == "ok"
    assert len(scan_rows(app)) == 1
    with app.app_context():
        unlimited = db.session.execute(
            db.select(Session.id).join(Room, Session.room_id == Room.id).where(Room.capacity.is_(None))
        ).scalars().first()
    if unlimited is not None:
        assert scan_api({"code": badge.code, "session": unlimited}).status_code == 404
    assert scan_api({"code": badge.code, "session": 999999}).status_code == 404
    for bad in ("1", True, 0, -3):
        assert scan_api({"code": badge.code, "session": bad}).status_code == 422
    assert scan_api({"code": "junk", "session": small_session}).get_json()["status"] == "invalid"


def test_undoing_a_room_entry_frees_the_place(client, scan_api, device_token, register, small_session):
    a, b, c = register(name="A"), register(name="B"), register(name="C")
    door = {"session": small_session}
    scan_api({**door, "code": a.code, "nonce": "a"})
    scan_api({**door, "code": b.code, "nonce": "b"})
    headers = {"Authorization": f"Bearer {device_token}"}
    assert client.post(API + "/annul", json={"nonce": "b"}, headers=headers).get_json()["status"] == "annulled"
    assert scan_api({**door, "code": c.code}).get_json()["status"] == "ok"
    assert scan_api({"code": a.code}).get_json()["status"] == "ok"  # the main door was untouched
