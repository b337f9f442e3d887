"""/admin/checkin: arrivals, offline conflicts and revoking a scanner device."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conference.auth.service import create_or_update_user
from tests.checkin.conftest import API


@pytest.fixture
def organiser_client(app, client):
    with app.app_context():
        create_or_update_user("organiser@example.org", "correct horse battery", "organiser")
    response = client.post("/login", data={"email": "organiser@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    return client


def test_staff_may_not_open_the_dashboard(staff_client):
    assert staff_client.get("/admin/checkin").status_code == 403


def test_dashboard_shows_arrivals_and_an_offline_double_admission(
    app, organiser_client, scan_api, register
):
    badge = register(name="Qian Duo")
    scan_api({"code": badge.code, "gate": "North", "nonce": "online"})
    # A device at the South gate admitted the same badge offline five minutes ago.
    earlier = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    queued = scan_api({"code": badge.code, "gate": "South", "nonce": "queued", "scanned_at": earlier})
    assert queued.get_json()["status"] == "already_checked_in"
    html = organiser_client.get("/admin/checkin").get_data(as_text=True)
    assert "1 / 1" in html
    conflicts = html.split('id="conflicts"')[1].split("</table>")[0]
    assert "Qian Duo" in conflicts and "South" in conflicts and "North" in conflicts


def test_an_online_amber_scan_is_not_a_conflict(organiser_client, scan_api, register):
    badge = register(name="Qian Duo")
    scan_api({"code": badge.code, "gate": "North"})
    scan_api({"code": badge.code, "gate": "South"})
    assert 'id="conflicts"' not in organiser_client.get("/admin/checkin").get_data(as_text=True)


def test_revoking_a_device_token_locks_the_device_out(app, organiser_client, device_token, register):
    badge = register()
    headers = {"Authorization": f"Bearer {device_token}"}
    assert organiser_client.post(API, json={"code": badge.code}, headers=headers).status_code == 200
    html = organiser_client.get("/admin/checkin").get_data(as_text=True)
    assert "Gate A phone" in html
    action = html.split('action="/admin/checkin/devices/')[1].split('"')[0]
    response = organiser_client.post(f"/admin/checkin/devices/{action}")
    assert response.status_code == 302
    html = organiser_client.get("/admin/checkin").get_data(as_text=True)
    assert "Revoked" in html
    assert html.count("The device token was revoked.") == 1  # said once, not by two layouts
    assert organiser_client.post(API, json={"code": badge.code}, headers=headers).status_code == 401
