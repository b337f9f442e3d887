"""/admin/audit: the log of back-office writes, filtered by person, kind and date."""

from __future__ import annotations

from datetime import datetime

import pytest

from conference import audit
from conference.extensions import db
from conference.models import AuditEntry
from tests.checkin.conftest import API


def _entries(app, count: int, kind: str = "room.update", actor: str = "a@example.org",
             at: datetime | None = None) -> None:
    with app.app_context():
        for number in range(count):
            entry = audit.record(kind, summary=f"{kind} {number}", actor=actor,
                                 changes={"capacity": [100, 120 + number]})
            if at is not None:
                entry.at = at
        db.session.commit()


def test_entries_show_who_what_and_the_change(app, organiser_client):
    _entries(app, 1)
    html = organiser_client.get("/admin/audit").get_data(as_text=True)
    row = html.split('id="audit"')[1]
    assert "a@example.org" in row and "room.update" in row  # a kind without a name: as stored
    assert "<del>100</del> → <ins>120</ins>" in row


def test_filters_by_person_kind_and_date(app, organiser_client):
    _entries(app, 2, kind="room.update", actor="a@example.org")
    _entries(app, 3, kind="account.role", actor="b@example.org")
    _entries(app, 1, kind="account.role", actor="b@example.org", at=datetime(2024, 1, 5, 12))
    def total(query: str) -> str:
        html = organiser_client.get(f"/admin/audit?{query}").get_data(as_text=True)
        return html.split('id="audit-total">')[1].split("<")[0]
    assert total("") == "6 entries"
    assert total("actor=a@example.org") == "2 entries"
    assert total("kind=account.role") == "4 entries"
    assert total("kind=account.role&until=2024-01-05") == "1 entry"
    assert total("since=2024-01-06") == "5 entries"
    assert total("since=not-a-date&page=abc") == "6 entries"  # ignored, not a 500


def test_pages_of_fifty(app, organiser_client):
    _entries(app, 60, at=datetime(2024, 1, 1))
    first = organiser_client.get("/admin/audit").get_data(as_text=True)
    assert first.count('data-kind="room.update"') == 50 and "Page 1 of 2" in first
    second = organiser_client.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count('data-kind="room.update"') == 10
    assert organiser_client.get("/admin/audit?page=99").status_code == 200


def test_an_annulled_scan_is_logged_with_the_device(app, client, device_token, register):
    badge = register(name="Qian Duo")
    bearer = {"Authorization": f"Bearer {device_token}"}
    client.post(API, json={"code": badge.code, "gate": "North", "nonce": "n-1"}, headers=bearer)
    response = client.post(f"{API}/annul", json={"nonce": "n-1"}, headers=bearer)
    assert response.get_json()["status"] == "annulled"
    client.post(f"{API}/annul", json={"nonce": "n-1"}, headers=bearer)  # no second entry
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.kind == "scan.annul")).scalar_one()
        assert "Qian Duo" in entry.summary
        assert entry.actor == "device:Gate A phone"


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("staff", 403), ("organiser", 200)])
def test_role_matrix(app, client, staff, organiser, who, expected):
    from tests.conftest import _logged_in
    if who != "anonymous":
        _logged_in(client, staff if who == "staff" else organiser)
    assert client.get("/admin/audit").status_code == expected


def test_a_reentry_change_is_logged(app, organiser_client, organiser, demo):
    assert organiser_client.post("/admin/checkin/lists/main/reentry", data={"allowed": "0"}).status_code == 302
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert (entry.kind, entry.actor, entry.changes) == (
            "checkin_list.reentry", organiser[0], {"reentry": [True, False]})
