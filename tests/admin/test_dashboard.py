"""The live dashboard: /admin and the figures it polls, /api/v1/dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from conference.extensions import db
from conference.models import Registration
from conference.models.base import utcnow
from tests.admin.people_helpers import logged_in

API = "/api/v1/dashboard"
HEADER = {"X-Requested-With": "checkin"}


def _arrive(app, registration_id: int, at: datetime, gate: str) -> None:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        registration.checked_in_at, registration.checked_in_gate = at, gate
        db.session.commit()


def test_arrivals_are_counted_per_five_minutes_gate_and_category(app, organiser_client, register):
    now = utcnow()
    mark = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)  # a 5-minute mark
    people = [register(name=f"Person {n}") for n in range(4)]
    _arrive(app, people[0].registration_id, mark - timedelta(minutes=30) + timedelta(minutes=1), "North")
    _arrive(app, people[1].registration_id, mark - timedelta(minutes=30) + timedelta(minutes=3), "North")
    _arrive(app, people[2].registration_id, mark, "South")
    figures = organiser_client.get(API, headers=HEADER).get_json()
    arrivals = figures["arrivals"]
    assert arrivals["total"] == 3
    gates = {g["name"]: g["counts"] for g in arrivals["gates"]}
    # From the first arrival's five minutes to now's: seven buckets.
    assert gates["North"] == [2, 0, 0, 0, 0, 0, 0]
    assert gates["South"] == [0, 0, 0, 0, 0, 0, 1]
    assert len(arrivals["labels"]) == 7 and arrivals["labels"][0].endswith(("0", "5"))
    [category] = arrivals["categories"]
    assert sum(category["counts"]) == 3 and category["colour"].startswith("#")
    assert figures["checked_in"] == 3 and figures["expected"] == 4


def test_registrations_per_day_and_gauges(app, organiser_client, register):
    register(name="One")
    register(name="Two")
    figures = organiser_client.get(API, headers=HEADER).get_json()
    assert sum(day["count"] for day in figures["registrations_per_day"]) == 2
    taken = {g["name"]: g["taken"] for g in figures["category_gauges"]}
    assert sum(taken.values()) == 2
    assert all("capacity" in g for g in figures["category_gauges"])
    assert figures["session_gauges"] and all(g["capacity"] for g in figures["session_gauges"])
    assert figures["arrivals"]["labels"] == []


def test_the_page_loads_its_script_and_no_inline_one(organiser_client, demo):
    for path in ("/admin", "/admin/"):
        response = organiser_client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'src="/static/js/admin-dashboard.js"' in html and 'data-url="/api/v1/dashboard"' in html


@pytest.mark.parametrize("path", ["/admin", "/admin/"])
def test_page_role_matrix(app, staff_client, demo, path):
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert staff_client.get(path).status_code == 403


def test_api_role_matrix(app, demo, device_token, runner):
    assert app.test_client().get(API).status_code == 401
    staff = logged_in(app, "door9@example.org", "staff")
    assert staff.get(API, headers=HEADER).status_code == 403
    organiser = logged_in(app, "org9@example.org", "organiser")
    assert organiser.get(API).status_code == 403  # a cookie alone is not enough
    assert organiser.get(API, headers=HEADER).status_code == 200
    device = app.test_client().get(API, headers={"Authorization": f"Bearer {device_token}"})
    assert device.status_code == 403
    tokens = {}
    for email in ("door9@example.org", "org9@example.org"):
        tokens[email] = runner.invoke(args=["create-api-token", email, "t"]).output.strip().splitlines()[-1]
    as_staff = app.test_client().get(API, headers={"Authorization": f"Bearer {tokens['door9@example.org']}"})
    assert as_staff.status_code == 403  # the token acts with its account's role
    as_organiser = app.test_client().get(API, headers={"Authorization": f"Bearer {tokens['org9@example.org']}"})
    assert as_organiser.status_code == 200 and "arrivals" in as_organiser.get_json()
