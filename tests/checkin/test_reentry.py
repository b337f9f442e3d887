"""Re-entry per check-in list: the main door follows the conference's setting, each
room door its session's; organisers switch them on /admin/checkin."""

from __future__ import annotations

import re

import pytest

from conference.auth.service import create_or_update_user
from conference.extensions import db
from conference.models import Conference, Room, Session
from tests.checkin.conftest import API, scan_rows
from tests.checkin.test_rooms import small_session  # noqa: F401  (fixture)


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def organiser_client(app, client):
    with app.app_context():
        create_or_update_user("organiser@example.org", "correct horse battery", "organiser")
    login_page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={
        "email": "organiser@example.org", "password": "correct horse battery",
        "csrf_token": _token(login_page),
    })
    assert response.status_code == 302
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]+value="([^"]+)"', html).group(1)


def _lists(client, device_token) -> dict:
    items = client.get(API + "/lists", headers={"Authorization": f"Bearer {device_token}"}).get_json()["items"]
    return {item["session"]: item for item in items}


def _switch(client, action: str, allowed: str):
    page = client.get("/admin/checkin").get_data(as_text=True)
    return client.post(action, data={"allowed": allowed, "csrf_token": _token(page)})


def test_main_door_refuses_reentry_when_the_organiser_switches_it_off(
    app, organiser_client, scan_api, register, device_token, conference_id
):
    assert _lists(organiser_client, device_token)[None]["reentry"] is True
    response = _switch(organiser_client, "/admin/checkin/lists/main/reentry", "0")
    assert response.status_code == 302
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Re-entry is now refused on this list." in page
    assert _lists(organiser_client, device_token)[None]["reentry"] is False

    badge = register()
    assert scan_api({"code": badge.code, "gate": "North"}).get_json()["status"] == "ok"
    twice = scan_api({"code": badge.code, "gate": "North"}).get_json()
    assert twice["status"] == "already_checked_in" and "reentry" not in twice  # never left
    assert scan_api({"code": badge.code, "gate": "North", "type": "exit"}).get_json()["status"] == "ok"
    back = scan_api({"code": badge.code, "gate": "North", "nonce": "back-1"}).get_json()
    assert back["status"] == "already_checked_in" and back["reentry"] is False
    assert back["attendee"]["name"] == "Zhang Wei" and back["gate"] == "North"
    assert [row.result for row in scan_rows(app)][-1] == "already_checked_in"
    # A scanner sending the same scan again (offline queue) gets the same answer.
    logged = len(scan_rows(app))
    assert scan_api({"code": badge.code, "gate": "North", "nonce": "back-1"}).get_json() == back
    assert len(scan_rows(app)) == logged

    # Switched back on, the same person may come in again.
    _switch(organiser_client, "/admin/checkin/lists/main/reentry", "1")
    with app.app_context():
        assert db.session.get(Conference, conference_id).checkin_reentry is True
    assert scan_api({"code": badge.code, "gate": "North"}).get_json()["status"] == "ok"


def test_room_door_list_has_its_own_setting(
    app, organiser_client, scan_api, register, device_token, small_session  # noqa: F811
):
    response = _switch(organiser_client, f"/admin/checkin/lists/{small_session}/reentry", "0")
    assert response.status_code == 302
    lists = _lists(organiser_client, device_token)
    assert lists[small_session]["reentry"] is False and lists[None]["reentry"] is True
    badge = register()
    door = {"session": small_session, "code": badge.code, "gate": "Room door"}
    assert scan_api(door).get_json()["status"] == "ok"
    assert scan_api({**door, "type": "exit"}).get_json()["status"] == "ok"
    refused = scan_api({**door, "nonce": "room-back-1"}).get_json()
    assert refused["status"] == "already_checked_in" and refused["reentry"] is False
    assert scan_api({**door, "nonce": "room-back-1"}).get_json() == refused  # replayed
    assert _lists(organiser_client, device_token)[small_session]["inside"] == 0
    # The main door is another list: still allows re-entry.
    assert scan_api({"code": badge.code}).get_json()["status"] == "ok"
    assert scan_api({"code": badge.code, "type": "exit"}).get_json()["status"] == "ok"
    assert scan_api({"code": badge.code}).get_json()["status"] == "ok"


def test_dashboard_lists_every_list_with_its_setting(organiser_client, small_session):  # noqa: F811
    html = organiser_client.get("/admin/checkin").get_data(as_text=True)
    table = html.split('id="checkin-lists"')[1].split("</table>")[0]
    assert "Main door" in table and f'data-session="{small_session}"' in table
    assert table.count("Refuse re-entry") == table.count("<tr data-session")


def test_switch_needs_the_csrf_token_an_organiser_and_a_known_list(
    app, organiser_client, conference_id, small_session  # noqa: F811
):
    assert organiser_client.post("/admin/checkin/lists/main/reentry", data={"allowed": "0"}).status_code == 400
    assert _switch(organiser_client, "/admin/checkin/lists/main/reentry", "maybe").status_code == 400
    with app.app_context():
        unlimited = db.session.execute(
            db.select(Session.id).join(Room, Session.room_id == Room.id)
            .where(Room.capacity.is_(None)).order_by(Session.id)
        ).scalars().first()
    assert unlimited is not None
    for session_id in (unlimited, 999999):
        assert _switch(organiser_client, f"/admin/checkin/lists/{session_id}/reentry", "0").status_code == 404
    with app.app_context():
        assert db.session.get(Conference, conference_id).checkin_reentry is True


def test_staff_cannot_switch_reentry(app, client, conference_id):
    with app.app_context():
        create_or_update_user("door@example.org", "correct horse battery", "staff")
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": "door@example.org", "password": "correct horse battery",
                                "csrf_token": _token(login_page)})
    response = client.post("/admin/checkin/lists/main/reentry",
                           data={"allowed": "0", "csrf_token": _token(login_page)})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Conference, conference_id).checkin_reentry is True
