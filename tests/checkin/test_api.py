"""POST /api/v1/checkin: answers, time zone, bad input and replays."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from conference.extensions import db
from conference.models import Conference
from tests.checkin.conftest import API, registration, scan_rows


def conference_zone(app, conference_id) -> ZoneInfo:
    with app.app_context():
        return ZoneInfo(db.session.get(Conference, conference_id).timezone)


def test_ok_answer_names_the_attendee_and_gives_local_time(app, scan_api, register, conference_id):
    badge = register(name="Zhang Wei", organisation="Hefei Sensor Lab")
    response = scan_api({"code": badge.code, "gate": "North", "nonce": "a1"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "ok"
    assert answer["gate"] == "North"
    assert answer["attendee"]["name"] == "Zhang Wei"
    assert answer["attendee"]["organisation"] == "Hefei Sensor Lab"
    assert answer["attendee"]["category"]  # the category's name, in the request's language
    when = datetime.fromisoformat(answer["checked_in_at"])
    zone = conference_zone(app, conference_id)
    assert when.utcoffset() == when.astimezone(zone).utcoffset()
    stored = registration(app, badge.registration_id).checked_in_at
    assert when.astimezone(ZoneInfo("UTC")).replace(tzinfo=None) == stored


def test_category_is_named_in_the_requested_language(app, scan_api, register, conference_id):
    badge = register()
    with app.app_context():
        category = db.session.get(Conference, conference_id).categories[0]
        names = {"zh": category.t("name", "zh"), "en": category.t("name", "en")}
    answer = scan_api({"code": badge.code}, headers={"Accept-Language": "zh-CN,zh"}).get_json()
    assert answer["attendee"]["category"] == names["zh"]
    again = scan_api({"code": badge.code}, headers={"Accept-Language": "en"}).get_json()
    assert again["attendee"]["category"] == names["en"]


def test_second_scan_is_amber_with_first_time_and_gate(scan_api, register):
    badge = register()
    first = scan_api({"code": badge.code, "gate": "North"}).get_json()
    second = scan_api({"code": badge.code, "gate": "South"}).get_json()
    assert second["status"] == "already_checked_in"
    assert second["checked_in_at"] == first["checked_in_at"]
    assert second["gate"] == "North"
    assert second["attendee"]["name"] == "Zhang Wei"


def test_invalid_code_has_no_attendee_and_no_time(scan_api):
    answer = scan_api({"code": "NOT-A-BADGE", "gate": "North"}).get_json()
    assert answer == {"status": "invalid", "attendee": None, "checked_in_at": None, "gate": "North"}


def test_ten_kilobytes_of_junk_in_the_code_is_just_invalid(app, scan_api):
    response = scan_api({"code": "Q" * 10_000})
    assert response.status_code == 200
    assert response.get_json()["status"] == "invalid"
    assert len(scan_rows(app)[0].code) == 300


def test_refused_registrations_say_why_and_who(scan_api, register):
    for registration_status, expected in [("cancelled", "cancelled"), ("rejected", "cancelled"),
                                          ("pending", "not_confirmed"),
                                          ("waitlisted", "not_confirmed")]:
        badge = register(status=registration_status, name=f"Attendee {registration_status}")
        answer = scan_api({"code": badge.code}).get_json()
        assert answer["status"] == expected
        assert answer["attendee"]["name"] == f"Attendee {registration_status}"
        assert answer["checked_in_at"] is None


def test_nonce_replay_returns_the_first_answer_and_adds_no_row(app, scan_api, register):
    badge = register()
    first = scan_api({"code": badge.code, "nonce": "9b7c", "gate": "North"}).get_json()
    replay = scan_api({"code": badge.code, "nonce": "9b7c", "gate": "North"}).get_json()
    assert replay == first and first["status"] == "ok"
    assert len(scan_rows(app)) == 1


def test_nonce_reused_for_a_different_badge_is_a_conflict(app, scan_api, register):
    first, second = register(), register(name="Li Na")
    scan_api({"code": first.code, "nonce": "dup"})
    response = scan_api({"code": second.code, "nonce": "dup"})
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert registration(app, second.registration_id).checked_in_at is None


def test_exit_is_logged_as_ok_for_a_confirmed_registration(app, scan_api, register):
    badge = register()
    scan_api({"code": badge.code, "gate": "North"})
    answer = scan_api({"code": badge.code, "gate": "Exit", "type": "exit"}).get_json()
    assert answer["status"] == "ok"
    assert [(r.kind, r.result) for r in scan_rows(app)] == [("entry", "ok"), ("exit", "ok")]


BAD_BODIES = [
    ("{not json", 400),
    (b"\xff\xfe\x00garbage", 400),
    ("", 400),
    ("[]", 422),
    ('"just a string"', 422),
    ("{}", 422),
    ('{"code": null}', 422),
    ('{"code": 12345}', 422),
    ('{"code": ["A"]}', 422),
    ('{"code": {"$ne": ""}}', 422),
    ('{"code": "X", "gate": 5}', 422),
    ('{"code": "X", "gate": "' + "G" * 61 + '"}', 422),
    ('{"code": "X", "nonce": "' + "n" * 65 + '"}', 422),
    ('{"code": "X", "type": "teleport"}', 422),
    ('{"code": "X", "type": ["entry"]}', 422),
    ('{"code": "' + "Q" * 11_000 + '"}', 413),
]


def test_bad_requests_get_a_problem_document_and_log_nothing(app, scan_api):
    for body, status in BAD_BODIES:
        response = scan_api(data=body, headers={"Content-Type": "application/json"})
        assert (body[:40], response.status_code) == (body[:40], status)
        assert response.content_type == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == status and problem["title"]
    assert scan_rows(app) == []


def test_unprocessable_request_names_the_fields(scan_api):
    problem = scan_api(data=json.dumps({"gate": 1, "type": "up"}),
                       headers={"Content-Type": "application/json"}).get_json()
    assert {p["name"] for p in problem["invalid_params"]} == {"code", "gate", "type"}


def test_body_without_a_json_content_type_is_still_read(scan_api, register):
    badge = register()
    response = scan_api(data=json.dumps({"code": badge.code}),
                        headers={"Content-Type": "text/plain"})
    assert response.get_json()["status"] == "ok"


def test_only_post_is_allowed(client):
    response = client.get(API)
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"


def test_device_scans_hand_their_connection_back_ready_for_transactions(app, scan_api, register):
    """On PostgreSQL a device's first admission runs in autocommit on a pooled connection
    of its own. Admitted, or refused by the database (a reused nonce), it must hand that
    connection back in transaction mode: on every pooled connection, a change still rolls
    back."""
    first, second = register(), register(name="Li Na")
    assert scan_api({"code": first.code, "nonce": "n-1"}).get_json()["status"] == "ok"
    assert scan_api({"code": second.code, "nonce": "n-1"}).status_code == 409
    third = register(name="Wang Fang")
    assert scan_api({"code": third.code, "nonce": "n-2"}).get_json()["status"] == "ok"
    with app.app_context():
        pooled = [db.engine.raw_connection() for _ in range(db.engine.pool.checkedin() or 1)]
        try:
            for connection in pooled:
                cursor = connection.cursor()
                cursor.execute("UPDATE registration SET name = 'Changed'")
                connection.rollback()
                cursor.execute("SELECT count(*) FROM registration WHERE name = 'Changed'")
                assert cursor.fetchone()[0] == 0
                cursor.close()
        finally:
            for connection in pooled:
                connection.close()
