"""Walk-in registration at the door desk: the registration service, an immediate
check-in through the normal check-in service, and the badge PDF to print."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from conference.checkin.undo import annul
from conference.checkin.walkin import walk_in
from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration, Scan
from conference.registration.validation import DuplicateEmail, InvalidRegistration, RegistrationData
from tests.api.problems import invalid_fields
from tests.checkin.conftest import scan_rows

WALK_IN = "/api/v1/checkin/walk-in"
HEADER = {"X-Requested-With": "checkin"}


def person(**overrides) -> RegistrationData:
    values = {"name": "Chen Walkin", "email": f"{uuid.uuid4().hex[:10]}@example.org",
              "organisation": "Anhui Optics", "job_title": "Engineer",
              "category_code": "delegate", "consent": True}
    values.update(overrides)
    return RegistrationData(**values)


def body(**overrides) -> dict:
    values = {"name": "Chen Walkin", "email": "chen.walkin@example.org", "organisation": "Anhui Optics",
              "job_title": "Engineer", "category": "delegate", "consent": True, "check_in": True,
              "gate": "Desk", "nonce": uuid.uuid4().hex}
    values.update(overrides)
    return values


def _conference(conference_id) -> Conference:
    return db.session.get(Conference, conference_id)


def test_walk_in_is_registered_at_the_desk_and_admitted_through_the_scan_log(app, conference_id):
    with app.app_context():
        done = walk_in(_conference(conference_id), person(), check_in_now=True, gate="Desk",
                       nonce="walk-1", scanned_by="user:1:door@example.org")
        assert done.checkin.status == "ok" and done.badge_ready
        registration = db.session.get(Registration, done.registration.id)
        assert (registration.status, registration.source) == ("confirmed", "desk")
        assert registration.checked_in_at is not None and registration.checked_in_gate == "Desk"
        registration_id = registration.id
    [row] = scan_rows(app)
    assert (row.registration_id, row.result, row.nonce, row.gate) == (registration_id, "ok", "walk-1", "Desk")
    assert row.scanned_by.startswith("desk:")
    with app.app_context():  # a mistaken admission at the desk is undone like any scan
        assert annul("walk-1").status == "annulled"
        assert db.session.get(Registration, registration_id).checked_in_at is None


def test_the_desk_may_use_a_category_not_offered_online(app, client, staff_client, demo):
    html = staff_client.get("/checkin").get_data(as_text=True)
    assert '<option value="speaker">' in html
    answer = staff_client.post(WALK_IN, json=body(category="speaker"), headers=HEADER)
    assert answer.status_code == 201, answer.json
    online = client.post("/api/v1/registrations", json={
        "name": "Online Speaker", "email": "online.speaker@example.org", "organisation": "X",
        "category": "speaker", "consent": True})
    assert online.status_code == 422 and "category" in invalid_fields(online.json)


def test_walk_in_without_check_in_now_is_only_registered(app, conference_id):
    with app.app_context():
        done = walk_in(_conference(conference_id), person(), check_in_now=False)
        assert done.checkin is None and done.badge_ready
        assert db.session.get(Registration, done.registration.id).checked_in_at is None
    assert scan_rows(app) == []


def test_category_rules_decide_as_for_the_web_form(app, conference_id):
    with app.app_context():
        press = walk_in(_conference(conference_id), person(category_code="press"), check_in_now=True)
        assert press.registration.status == "pending"
        assert press.checkin is None and not press.badge_ready
        full = db.session.execute(
            db.select(AttendeeCategory).where(AttendeeCategory.code == "exhibitor-staff")
        ).scalar_one()
        full.capacity = 0
        db.session.commit()
        waiting = walk_in(_conference(conference_id), person(category_code="exhibitor-staff"),
                          check_in_now=True)
        assert waiting.registration.status == "waitlisted" and waiting.checkin is None
    assert scan_rows(app) == []


def test_duplicate_email_and_missing_consent_store_nothing(app, conference_id):
    with app.app_context():
        first = walk_in(_conference(conference_id), person(email="twice@example.org"), check_in_now=False)
        with pytest.raises(DuplicateEmail):
            walk_in(_conference(conference_id), person(email="Twice@Example.org"), check_in_now=True)
        with pytest.raises(InvalidRegistration) as refused:
            walk_in(_conference(conference_id), person(consent=False), check_in_now=True)
        assert "consent" in refused.value.errors
        count = db.session.execute(db.select(db.func.count(Registration.id))).scalar_one()
        assert count == 1 and first.registration.email == "twice@example.org"
    assert scan_rows(app) == []


# HTTP


def test_api_registers_admits_and_offers_a_private_badge_pdf(app, staff_client, demo):
    answer = staff_client.post(WALK_IN, json=body(), headers=HEADER)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    data = answer.get_json()
    assert data["status"] == "confirmed" and data["name"] == "Chen Walkin"
    assert data["checkin"]["status"] == "ok" and data["checkin"]["gate"] == "Desk"
    assert data["badge_url"] == f"/checkin/walk-in/{data['ref']}/badge.pdf"
    pdf = staff_client.get(data["badge_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    assert pdf.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    assert "Chen" in reader.pages[0].extract_text()


def test_badge_pdf_needs_a_staff_login_and_a_desk_registration(app, client, staff_client, register):
    data = staff_client.post(WALK_IN, json=body(), headers=HEADER).get_json()
    badge_url = data["badge_url"]
    staff_client.post("/logout")
    response = client.get(badge_url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Online registrations are not printed from the desk URL.
    online = register()
    with app.app_context():
        public_id = db.session.get(Registration, online.registration_id).public_id
    client.post("/login", data={"email": "door@example.org", "password": "correct horse battery"})
    assert client.get(f"/checkin/walk-in/{public_id}/badge.pdf").status_code == 404
    assert client.get("/checkin/walk-in/not-an-id/badge.pdf").status_code == 404


def test_unconfirmed_walk_in_has_no_badge_yet(staff_client, demo):
    data = staff_client.post(WALK_IN, json=body(category="press"), headers=HEADER).get_json()
    assert data["status"] == "pending" and data["badge_url"] is None and data["checkin"] is None
    response = staff_client.get(f"/checkin/walk-in/{data['ref']}/badge.pdf")
    assert response.status_code == 409
    assert response.headers["Cache-Control"] == "private, no-store"


def test_duplicate_email_answers_409_naming_the_registration_to_search(staff_client, demo):
    first = staff_client.post(WALK_IN, json=body(check_in=False), headers=HEADER).get_json()
    again = staff_client.post(WALK_IN, json=body(name="Someone Else"), headers=HEADER)
    assert again.status_code == 409 and again.content_type == "application/problem+json"
    problem = again.get_json()
    assert "already registered" in problem["detail"]
    assert problem["existing"] == {"ref": first["ref"], "name": "Chen Walkin", "organisation": "Anhui Optics",
                                   "status": "confirmed", "checked_in": False}


def test_bad_input_is_a_422_with_field_errors(app, staff_client, demo):
    for payload, field in ((body(consent=False), "consent"), (body(email="not-an-address"), "email"),
                           (body(category="vip-lounge"), "category"), (body(name=7), "name"),
                           (body(check_in="yes"), "check_in"), (body(gate="G" * 61), "gate")):
        response = staff_client.post(WALK_IN, json=payload, headers=HEADER)
        assert response.status_code == 422, (field, response.get_data(as_text=True))
        assert response.content_type == "application/problem+json"
        assert field in invalid_fields(response.get_json()), field
    assert staff_client.post(WALK_IN, data="{", headers={**HEADER, "Content-Type": "application/json"}
                             ).status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0
        assert db.session.execute(db.select(db.func.count(Scan.id))).scalar_one() == 0


def test_device_tokens_and_anonymous_callers_cannot_register_walk_ins(app, client, device_token, demo):
    response = client.post(WALK_IN, json=body(), headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 403 and response.content_type == "application/problem+json"
    assert client.post(WALK_IN, json=body()).status_code == 401
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0


def test_scanner_page_has_the_walk_in_form_with_the_offered_categories(staff_client, demo):
    html = staff_client.get("/checkin").get_data(as_text=True)
    assert 'id="walk-in-form"' in html and 'data-walk-in-url="/api/v1/checkin/walk-in"' in html
    assert '<option value="delegate">' in html and '<option value="press">' in html
    assert 'id="walk-in-consent" name="consent" type="checkbox" required' in html
    assert 'id="walk-in-check-in" name="check_in" type="checkbox" checked' in html


def test_a_walk_in_whose_nonce_is_refused_leaves_no_registration(app, staff_client, demo, register):
    """The nonce was used for another scan: nothing is stored, and the retry with a fresh
    nonce registers and admits the person (it is not told they are registered already)."""
    badge = register()
    used = uuid.uuid4().hex
    assert staff_client.post("/api/v1/checkin", json={"code": badge.code, "nonce": used},
                             headers=HEADER).status_code == 200
    refused = staff_client.post(WALK_IN, json=body(nonce=used), headers=HEADER)
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    with app.app_context():
        assert db.session.execute(db.select(Registration.id).where(
            Registration.email == "chen.walkin@example.org")).first() is None
    again = staff_client.post(WALK_IN, json=body(), headers=HEADER)
    assert again.status_code == 201, again.get_data(as_text=True)
    assert again.get_json()["checkin"]["status"] == "ok"
