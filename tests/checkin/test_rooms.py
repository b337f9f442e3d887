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


def _crowd_at_room_door(app, device_token, codes, session_id) -> list[str]:
    """Every badge scanned at once at the room door, each from its own thread (API)."""
    import threading

    barrier = threading.Barrier(len(codes))
    statuses: list[str] = []
    errors: list[BaseException] = []

    def scanner(code: str) -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=30)
            response = client.post(API, json={"code": code, "session": session_id, "gate": "Room"},
                                   headers={"Authorization": f"Bearer {device_token}"})
            statuses.append(response.get_json()["status"])
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=scanner, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[:3]
    return statuses


@pytest.fixture
def slow_count(monkeypatch):
    """Every occupancy count takes 50 ms longer, so simultaneous scans overlap."""
    import time

    from conference.checkin import rooms

    counted = rooms.occupancy

    def slowly(session_id):
        value = counted(session_id)
        time.sleep(0.05)
        return value

    monkeypatch.setattr(rooms, "occupancy", slowly)


@pytest.mark.postgres
def test_postgres_simultaneous_room_door_scans_through_the_api_never_overfill(
    app, device_token, register, small_session, slow_count
):
    """The scan API runs its single statements in autocommit; a room door count and
    entry still happen in one transaction under the session's row lock."""
    codes = [register(name=f"Guest {n}").code for n in range(10)]
    statuses = _crowd_at_room_door(app, device_token, codes, small_session)
    assert sorted(statuses) == ["ok"] * 2 + ["room_full"] * 8


@pytest.mark.postgres
def test_postgres_control_room_door_scans_left_in_autocommit_overfill(
    app, device_token, register, small_session, slow_count, monkeypatch
):
    """Control: without ``need_transaction`` the room door's lock ends with each
    statement, and the same crowd overfills the room."""
    from conference.checkin import scanlog

    monkeypatch.setattr(scanlog, "need_transaction", lambda: None)
    codes = [register(name=f"Guest {n}").code for n in range(10)]
    statuses = _crowd_at_room_door(app, device_token, codes, small_session)
    assert statuses.count("ok") > 2
