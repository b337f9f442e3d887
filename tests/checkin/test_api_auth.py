"""Who may call the check-in API: device tokens, staff sessions with the extra header."""

from __future__ import annotations

from conference.auth.guards import ApiCaller
from conference.auth.service import issue_device_token, revoke_device_token
from conference.extensions import db
from conference.models import DeviceToken, User
from tests.checkin.conftest import API, registration, scan_rows

HEADER = {"X-Requested-With": "checkin"}


def assert_unauthorised(response):
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["status"] == 401


def test_anonymous_call_is_401_and_admits_nobody(app, client, register):
    badge = register()
    assert_unauthorised(client.post(API, json={"code": badge.code}, headers=HEADER))
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan_rows(app) == []


def test_anonymous_call_with_a_bad_body_is_still_401(client):
    assert_unauthorised(client.post(API, data="{broken"))


def test_device_token_admits_and_is_named_in_the_scan_log(app, client, register, device_token):
    badge = register()
    response = client.post(API, json={"code": badge.code},
                           headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    assert "Gate A phone" in scan_rows(app)[0].scanned_by


def test_revoked_device_token_is_refused_from_the_next_scan_on(app, client, register, device_token):
    first, second = register(), register(name="Li Na")
    auth = {"Authorization": f"Bearer {device_token}"}
    assert client.post(API, json={"code": first.code}, headers=auth).status_code == 200
    with app.app_context():
        device_id = db.session.execute(db.select(DeviceToken.id)).scalar_one()
        assert revoke_device_token(device_id)
    response = client.post(API, json={"code": second.code}, headers=auth)
    assert_unauthorised(response)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert registration(app, second.registration_id).checked_in_at is None


def test_unknown_or_malformed_authorization_is_refused(app, client, register):
    badge = register()
    for authorization in ["Bearer dev_not-a-real-token", "Bearer ", "Basic ZG9vcjpwdw==",
                          "Bearer " + "x" * 5000, "dev_x"]:
        response = client.post(API, json={"code": badge.code},
                               headers={"Authorization": authorization})
        assert_unauthorised(response)
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan_rows(app) == []


def test_a_device_is_named_alike_in_the_log_whichever_way_its_scan_went(app, client, register):
    """A first admission (on PostgreSQL one statement that checks the token itself) and
    an exit scan (the general path) log the same device name."""
    with app.app_context():
        token = issue_device_token("北门 2 号扫描枪 " + "Z" * 90)
        device = db.session.execute(db.select(DeviceToken)).scalar_one()
        expected = ApiCaller("device", device.id, device.name).log_name
    badge = register()
    auth = {"Authorization": f"Bearer {token}"}
    for kind in ("entry", "exit", "entry"):
        response = client.post(API, json={"code": badge.code, "type": kind}, headers=auth)
        assert response.status_code == 200
    rows = scan_rows(app)
    assert [row.result for row in rows] == ["ok", "ok", "ok"]
    assert {row.scanned_by for row in rows} == {expected}
    assert expected == f"device:{device.id}:北门 2 号扫描枪 " + "Z" * 90


def test_staff_session_with_the_header_may_scan(app, staff_client, register):
    badge = register()
    response = staff_client.post(API, json={"code": badge.code}, headers=HEADER)
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    assert scan_rows(app)[0].scanned_by.endswith("door@example.org")


def test_staff_session_without_the_header_is_403_so_other_sites_cannot_use_the_cookie(
    app, staff_client, register
):
    badge = register()
    for headers in ({}, {"X-Requested-With": "XMLHttpRequest"}):
        response = staff_client.post(API, json={"code": badge.code}, headers=headers)
        assert response.status_code == 403
        assert response.content_type == "application/problem+json"
        assert "X-Requested-With" in response.get_json()["detail"]
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan_rows(app) == []


def test_form_post_from_another_site_cannot_scan(app, staff_client, register):
    badge = register()
    response = staff_client.post(API, data={"code": badge.code},
                                 headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert registration(app, badge.registration_id).checked_in_at is None


def test_deactivated_staff_account_loses_api_access_at_once(app, staff_client, register):
    badge = register()
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        user.active = False
        db.session.commit()
    assert_unauthorised(staff_client.post(API, json={"code": badge.code}, headers=HEADER))
