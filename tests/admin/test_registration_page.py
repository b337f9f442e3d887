"""/admin/registrations/<id>: one registration's page and what an organiser does there."""

from __future__ import annotations

import pytest

from conference.extensions import db
from conference.models import AuditEntry, OutboxMessage, Registration
from conference.registration.lifecycle import register
from conference.registration.validation import RegistrationData


@pytest.fixture
def registration_id(app, demo):
    """A confirmed registration of the demo conference with one session seat."""
    from conference.current import current_conference
    from conference.registration.validation import bookable_sessions

    with app.test_request_context():
        conference = current_conference()
        session = bookable_sessions(conference)[0]
        registration = register(conference, RegistrationData(
            name="Lin Qing", email="lin.qing@example.org", organisation="Sensor Lab",
            category_code="delegate", consent=True, language="zh", sessions=[session.slug]),
            source="cli", skip_questions=True)
        return registration.id


def _pending(app, registration_id: int) -> None:
    with app.app_context():
        db.session.get(Registration, registration_id).status = "pending"
        db.session.commit()


def test_the_page_shows_details_sessions_history_and_mails(app, organiser_client, registration_id):
    response = organiser_client.get(f"/admin/registrations/{registration_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Lin Qing" in html and "lin.qing@example.org" in html and "Sensor Lab" in html
    assert 'id="sessions"' in html and "Seat confirmed" in html
    assert "Registered" in html.split('id="history"')[1]
    mails = html.split('id="mails"')[1].split("</table>")[0]
    assert mails.count("<tr><td>") == 1 and "报名" in mails and "sent" in mails  # its subject, in zh
    with app.app_context():
        token = db.session.get(Registration, registration_id).token
    assert token not in html  # the attendee's secret stays out of the back office


def test_the_list_links_to_the_page(organiser_client, registration_id):
    html = organiser_client.get("/admin/registrations?status=all").get_data(as_text=True)
    assert f'href="/admin/registrations/{registration_id}"' in html


def test_approve_from_the_page_is_audited(app, organiser_client, organiser, registration_id):
    _pending(app, registration_id)
    response = organiser_client.post(f"/admin/registrations/{registration_id}", data={"action": "approve"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == "confirmed"
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert (entry.kind, entry.actor, entry.changes) == (
            "registration.approve", organiser[0], {"status": ["pending", "confirmed"]})
    html = organiser_client.get(f"/admin/registrations/{registration_id}").get_data(as_text=True)
    assert "Registration approved" in html.split('id="history"')[1]


def test_cancel_from_the_page_ends_the_badge_once(app, organiser_client, registration_id):
    assert organiser_client.post(f"/admin/registrations/{registration_id}", data={"action": "cancel"}).status_code == 303
    organiser_client.post(f"/admin/registrations/{registration_id}", data={"action": "cancel"})
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == "cancelled"
        kinds = db.session.execute(db.select(AuditEntry.kind)).scalars().all()
        assert kinds == ["registration.cancel"]  # the second click changed nothing
    assert organiser_client.get(f"/admin/registrations/{registration_id}-badge.pdf").status_code == 409


def test_resend_queues_the_status_mail_again(app, organiser_client, registration_id):
    organiser_client.post(f"/admin/registrations/{registration_id}", data={"action": "resend"})
    with app.app_context():
        kinds = db.session.execute(
            db.select(OutboxMessage.kind).where(OutboxMessage.registration_id == registration_id)
        ).scalars().all()
        assert kinds == ["confirmed", "confirmed"]


def test_edit_saves_and_audits_the_changed_fields_only(app, organiser_client, registration_id):
    form = organiser_client.get(f"/admin/registrations/{registration_id}?edit=1")
    assert form.status_code == 200 and 'value="Lin Qing"' in form.get_data(as_text=True)
    response = organiser_client.post(f"/admin/registrations/{registration_id}", data={
        "action": "edit", "name": "Lin Qing", "organisation": "Hefei Sensor Lab", "job_title": "", "phone": "",
        "language": "zh"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Registration, registration_id).organisation == "Hefei Sensor Lab"
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert entry.changes == {"organisation": ["Sensor Lab", "Hefei Sensor Lab"]}
    bad = organiser_client.post(f"/admin/registrations/{registration_id}", data={
        "action": "edit", "name": "", "organisation": "X", "language": "zh"})
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 1  # nothing half-done


def test_the_badge_prints_from_the_page(organiser_client, registration_id):
    response = organiser_client.get(f"/admin/registrations/{registration_id}-badge.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_an_unknown_id_is_404(organiser_client, demo):
    assert organiser_client.get("/admin/registrations/999999").status_code == 404


@pytest.mark.parametrize("method, suffix, data", [
    ("get", "", None), ("get", "?edit=1", None), ("post", "", {"action": "edit"}),
    ("post", "", {"action": "approve"}), ("post", "", {"action": "cancel"}),
    ("post", "", {"action": "resend"}), ("get", "-badge.pdf", None)])
def test_role_matrix(app, staff_client, registration_id, method, suffix, data):
    path = f"/admin/registrations/{registration_id}{suffix}"
    anonymous = getattr(app.test_client(), method)(path, data=data)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert getattr(staff_client, method)(path, data=data).status_code == 403


def test_an_unknown_action_is_refused(organiser_client, registration_id):
    assert organiser_client.post(f"/admin/registrations/{registration_id}",
                                 data={"action": "delete"}).status_code == 400


def test_reject_from_the_page(app, organiser_client, registration_id):
    _pending(app, registration_id)
    organiser_client.post(f"/admin/registrations/{registration_id}", data={"action": "reject"})
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == "rejected"
