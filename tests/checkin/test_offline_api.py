"""Undo by nonce, offline scan times, the public key and the revocation list."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from conference.extensions import db
from conference.models import Registration
from tests.checkin.conftest import API, registration, scan_rows


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def annul(client, device_token, nonce):
    return client.post(
        API + "/annul", json={"nonce": nonce}, headers={"Authorization": f"Bearer {device_token}"}
    )


def test_undo_takes_back_a_mistaken_admission(app, client, scan_api, device_token, register):
    badge = register()
    assert scan_api({"code": badge.code, "gate": "A", "nonce": "n1"}).get_json()["status"] == "ok"
    answer = annul(client, device_token, "n1")
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "annulled"
    assert answer.get_json()["attendee"]["name"] == "Zhang Wei"
    assert registration(app, badge.registration_id).checked_in_at is None
    assert annul(client, device_token, "n1").get_json()["status"] == "already_annulled"
    # The badge can be admitted again, and the log keeps both scans.
    assert scan_api({"code": badge.code, "gate": "B", "nonce": "n2"}).get_json()["status"] == "ok"
    assert registration(app, badge.registration_id).checked_in_gate == "B"
    rows = scan_rows(app)
    assert [(r.nonce, r.annulled_at is not None) for r in rows] == [("n1", True), ("n2", False)]


def test_undo_of_an_amber_scan_keeps_the_admission(app, client, scan_api, device_token, register):
    badge = register()
    scan_api({"code": badge.code, "gate": "A", "nonce": "n1"})
    assert scan_api({"code": badge.code, "nonce": "n2"}).get_json()["status"] == "already_checked_in"
    assert annul(client, device_token, "n2").get_json()["status"] == "annulled"
    assert registration(app, badge.registration_id).checked_in_gate == "A"


def test_undo_of_a_reentry_puts_the_attendee_outside_again(client, scan_api, device_token, register):
    badge = register()
    scan_api({"code": badge.code, "nonce": "in"})
    scan_api({"code": badge.code, "nonce": "out", "type": "exit"})
    assert scan_api({"code": badge.code, "nonce": "back"}).get_json()["status"] == "ok"
    annul(client, device_token, "back")
    assert scan_api({"code": badge.code, "nonce": "again"}).get_json()["status"] == "ok"


def test_undo_answers_unknown_and_bad_nonces_with_4xx(client, device_token):
    assert annul(client, device_token, "never-used").status_code == 404
    for body in ({}, {"nonce": 5}, {"nonce": ""}, {"nonce": "x" * 65}, ["n"]):
        response = client.post(
            API + "/annul", json=body, headers={"Authorization": f"Bearer {device_token}"}
        )
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json"


def test_undo_needs_staff_or_a_device(client):
    assert client.post(API + "/annul", json={"nonce": "n"}).status_code == 401


def test_offline_scan_keeps_its_original_time(app, scan_api, register):
    badge = register()
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=7)
    answer = scan_api({"code": badge.code, "nonce": "q1", "scanned_at": when.isoformat()})
    assert answer.get_json()["status"] == "ok"
    assert registration(app, badge.registration_id).checked_in_at == when.replace(tzinfo=None)
    [row] = scan_rows(app)
    assert row.scanned_at == when.replace(tzinfo=None)
    assert row.received_at > row.scanned_at


def test_bad_scan_times_are_refused(scan_api, register):
    badge = register()
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    for value in ("yesterday", future, "1999-01-01T00:00:00Z", 12):
        response = scan_api({"code": badge.code, "scanned_at": value})
        assert response.status_code == 422, value


def test_keys_verify_a_badge_code(client, register, demo):
    badge = register()
    answer = client.get(API + "/keys").get_json()
    [key] = answer["keys"]
    assert key["alg"] == "Ed25519" and len(key["kid"]) == 16
    raw = base64.b32decode(badge.code + "=" * (-len(badge.code) % 8))
    public = Ed25519PublicKey.from_public_bytes(_b64url_decode(key["public_key"]))
    public.verify(raw[19:], raw[:19])  # raises when the key does not match
    [conference] = answer["conferences"]
    assert conference["slug"] == demo
    assert conference["tag"] == raw[11:15].hex()
    assert raw[15:17].hex() in {c["tag"] for c in conference["categories"]}


def _revoked(client, device_token, since=None):
    return client.get(
        API + "/revoked",
        query_string={"since": since} if since else {},
        headers={"Authorization": f"Bearer {device_token}"},
    ).get_json()


def test_cancelling_or_reissuing_a_badge_puts_it_on_the_revocation_list(
    app, client, device_token, register
):
    first, second, kept = register(), register(name="Li Na"), register(name="Wang Fang")
    assert _revoked(client, device_token) == {"items": [], "until": None, "complete": True}
    with app.app_context():
        db.session.get(Registration, first.registration_id).status = "cancelled"
        db.session.commit()
    page = _revoked(client, device_token)
    with app.app_context():
        ids = {r.id: r.public_id for r in db.session.execute(db.select(Registration)).scalars()}
    assert [(i["public_id"], i["reason"]) for i in page["items"]] == [
        (ids[first.registration_id], "cancelled")
    ]
    with app.app_context():
        db.session.get(Registration, second.registration_id).badge_version = 2
        db.session.get(Registration, kept.registration_id).name = "Wang Fang Jr"
        db.session.commit()
    later = _revoked(client, device_token, page["until"])
    assert [(i["public_id"], i["max_version"], i["reason"]) for i in later["items"]] == [
        (ids[second.registration_id], 1, "reissued")
    ]
    assert _revoked(client, device_token, later["until"])["items"] == []


def test_revocation_list_refuses_a_bad_since_and_strangers(client, device_token):
    response = client.get(API + "/revoked?since=soon", headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 422
    for beyond in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        response = _get(client, device_token, "/revoked", since=beyond)
        assert response.status_code == 422, beyond
        assert response.json["invalid_params"][0]["name"] == "since"
    assert client.get(API + "/revoked").status_code == 401


def _get(client, device_token, path, **query):
    return client.get(API + path, query_string=query, headers={"Authorization": f"Bearer {device_token}"})


def test_lost_badge_search_needs_two_characters(client, device_token, register):
    register(name="Zhao Lei", organisation="Hefei Sensor Lab")
    register(name="Sun Li", organisation="USTC 100%")
    assert _get(client, device_token, "/search", q="z").get_json() == {"items": []}
    assert _get(client, device_token, "/search", q="").get_json() == {"items": []}
    [found] = _get(client, device_token, "/search", q="zhao").get_json()["items"]
    assert found["name"] == "Zhao Lei" and found["checked_in"] is False
    assert [i["name"] for i in _get(client, device_token, "/search", q="0%").get_json()["items"]] == ["Sun Li"]
    assert len(_get(client, device_token, "/search", q="Hefei").get_json()["items"]) >= 1
    assert client.get(API + "/search?q=zhao").status_code == 401


def test_lost_badge_search_takes_percent_and_underscore_literally(client, device_token, register):
    register(name="Sun Li", organisation="USTC 100%")
    register(name="Wu Fei", organisation="USTC 1000")  # "100%" as a wildcard would find him
    register(name="Qian Yu", organisation="Anhui Sensor_Lab")
    register(name="Zhao Lei", organisation="Hefei Sensor Lab")  # and "r_l" would find him

    def names(query: str) -> list[str]:
        items = _get(client, device_token, "/search", q=query).get_json()["items"]
        return sorted(item["name"] for item in items)

    assert names("100%") == ["Sun Li"]
    assert names("R_L") == ["Qian Yu"]


def test_manual_check_in_of_a_found_person_admits_once(app, client, device_token, register):
    badge = register(name="Zhao Lei")
    [found] = _get(client, device_token, "/search", q="Zhao").get_json()["items"]
    headers = {"Authorization": f"Bearer {device_token}"}
    body = {"ref": found["ref"], "gate": "Desk", "nonce": "m1"}
    answer = client.post(API + "/manual", json=body, headers=headers).get_json()
    assert answer["status"] == "ok" and answer["attendee"]["name"] == "Zhao Lei"
    again = client.post(API + "/manual", json={**body, "nonce": "m2"}, headers=headers).get_json()
    assert again["status"] == "already_checked_in" and again["gate"] == "Desk"
    assert registration(app, badge.registration_id).checked_in_gate == "Desk"
    assert client.post(API + "/manual", json={"ref": "nobody"}, headers=headers).status_code == 404
    assert client.post(API + "/manual", json={"ref": 5}, headers=headers).status_code == 422


def test_counters_show_arrivals_per_gate_and_recently(client, scan_api, device_token, register):
    for name, gate in (("A One", "North"), ("B Two", "North"), ("C Three", "South")):
        scan_api({"code": register(name=name).code, "gate": gate})
    register(name="D Four")
    register(name="E Five", status="pending")
    counters = _get(client, device_token, "/counters").get_json()
    assert counters["checked_in"] == 3
    assert counters["expected"] == 4
    assert counters["gates"] == [{"gate": "North", "checked_in": 2}, {"gate": "South", "checked_in": 1}]
    assert counters["last_10_minutes"] == 3


def test_a_badge_cancelled_through_registration_is_listed_as_revoked(app, client, device_token, register):
    from conference.registration.lifecycle import cancel

    badge = register(name="Leaving Early")
    with app.app_context():
        person = db.session.get(Registration, badge.registration_id)
        cancel(person)
        public_id = person.public_id
    items = _revoked(client, device_token)["items"]
    assert {(i["public_id"], i["reason"]) for i in items} >= {(public_id, "cancelled")}
