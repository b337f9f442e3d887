"""A database may hold several editions: the door admits the current conference's badges
only, and counts, searches and serves offline keys for that conference alone."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import Conference, Registration
from tests.checkin.conftest import API, add_edition, registration, scan_rows
from tests.checkin.test_rooms import small_session  # noqa: F401  (fixture)


@pytest.fixture
def next_edition(app, demo) -> str:
    """A later conference in the same database: the site's current one from now on."""
    return add_edition(app, "next-edition", date(2030, 9, 19))


def badge_of(app, slug: str, name: str) -> tuple[int, str]:
    with app.app_context():
        conference = db.session.execute(db.select(Conference).where(Conference.slug == slug)).scalar_one()
        person = Registration(conference=conference, category=conference.categories[0], name=name,
                              email=f"{uuid.uuid4().hex[:12]}@example.org",
                              organisation="Edition Test Ltd", status="confirmed")
        db.session.add(person)
        db.session.commit()
        return person.id, issue_code(person)


def test_badge_of_an_earlier_edition_is_invalid_at_the_current_door(app, scan_api, register, next_edition):
    old = register()  # a confirmed registration of the demo conference, never admitted
    answer = scan_api({"code": old.code, "gate": "North", "nonce": "old-1"}).get_json()
    assert (answer["status"], answer["attendee"]) == ("invalid", None)
    assert registration(app, old.registration_id).checked_in_at is None
    assert [(row.result, row.registration_id) for row in scan_rows(app)] == [("invalid", None)]
    _, current = badge_of(app, next_edition, "Chen Jing")
    assert scan_api({"code": current, "gate": "North", "nonce": "new-1"}).get_json()["status"] == "ok"


def test_configured_default_conference_is_the_door(app, scan_api, demo, next_edition):
    app.config["DEFAULT_CONFERENCE"] = demo
    _, demo_badge = badge_of(app, demo, "Li Na")
    _, later_badge = badge_of(app, next_edition, "Wang Fang")
    assert scan_api({"code": later_badge, "nonce": "a"}).get_json()["status"] == "invalid"
    assert scan_api({"code": demo_badge, "nonce": "b"}).get_json()["status"] == "ok"


def test_counters_search_manual_and_keys_cover_the_current_conference_only(
    app, client, device_token, demo, next_edition
):
    headers = {"Authorization": f"Bearer {device_token}"}
    old_id, _ = badge_of(app, demo, "Zhou Ming")
    badge_of(app, next_edition, "Zhou Hong")
    counters = client.get(API + "/counters", headers=headers).get_json()
    assert (counters["checked_in"], counters["expected"]) == (0, 1)
    found = client.get(API + "/search?q=zhou", headers=headers).get_json()
    assert [person["name"] for person in found["items"]] == ["Zhou Hong"]
    with app.app_context():
        old_ref = db.session.get(Registration, old_id).public_id
    manual = client.post(API + "/manual", json={"ref": old_ref, "nonce": "m"}, headers=headers)
    assert manual.status_code == 404
    assert registration(app, old_id).checked_in_at is None
    keys = client.get(API + "/keys").get_json()
    assert [conference["slug"] for conference in keys["conferences"]] == [next_edition]


def test_room_door_admits_badges_of_its_session_s_conference_only(
    app, scan_api, demo, next_edition, small_session  # noqa: F811
):
    _, other = badge_of(app, next_edition, "Sun Lei")
    _, own = badge_of(app, demo, "Guo Wei")
    door = {"session": small_session, "gate": "Room door"}
    assert scan_api({**door, "code": other, "nonce": "r1"}).get_json()["status"] == "invalid"
    assert scan_api({**door, "code": own, "nonce": "r2"}).get_json()["status"] == "ok"
