"""/admin/announcements: write, pick recipients, preview with the count, send through the
outbox to a real SMTP server, each recipient in their language."""

from __future__ import annotations

import pytest

from conference.extensions import db
from conference.models import (
    AttendeeCategory,
    AuditEntry,
    Conference,
    Registration,
    SeatBooking,
    Session,
)
from conference.models.base import utcnow
from tests.smtp import body_of

TEXT = {"subject_zh": "会场变更通知", "subject_en": "Room change",
        "body_zh": "下午的论坛改在二号厅举行。", "body_en": "The afternoon forum moves to Hall 2."}


@pytest.fixture
def app_config(smtp_port) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def people(app, demo) -> dict[str, int]:
    """Four confirmed people (two categories, one holding a session seat, one checked in),
    one pending and one cancelled; their ids by name."""
    with app.app_context():
        conference = db.session.execute(db.select(Conference).where(Conference.slug == demo)).scalar_one()
        delegate, press = (db.session.execute(db.select(AttendeeCategory).where(
            AttendeeCategory.conference_id == conference.id, AttendeeCategory.code == code)).scalar_one()
            for code in ("delegate", "press"))
        session = db.session.execute(db.select(Session).where(
            Session.conference_id == conference.id, Session.capacity.is_not(None))).scalars().first()
        rows = {
            "李明": Registration(category=delegate, language="zh", status="confirmed"),
            "Ada": Registration(category=delegate, language="en", status="confirmed",
                                checked_in_at=utcnow()),
            "王芳": Registration(category=press, language="zh", status="confirmed"),
            "Bob": Registration(category=press, language="en", status="confirmed"),
            "Pending": Registration(category=delegate, status="pending"),
            "Gone": Registration(category=delegate, status="cancelled"),
        }
        for name, row in rows.items():
            row.conference, row.name, row.email = conference, name, f"{len(name)}{abs(hash(name))}@example.org"
            db.session.add(row)
        db.session.flush()
        db.session.add(SeatBooking(registration_id=rows["Bob"].id, session_id=session.id))
        db.session.commit()
        return {"session": session.id, "press": press.id, **{name: row.id for name, row in rows.items()}}


def _preview(client, **choice):
    return client.post("/admin/announcements", data={**TEXT, "audience": "all", "arrival": "any", **choice})


def _send(client, count: int, **choice):
    return client.post("/admin/announcements", data={
        **TEXT, "audience": "all", "arrival": "any", **choice, "confirm_count": str(count), "action": "send"})


@pytest.mark.parametrize("choice, expected", [
    ({}, 4),
    ({"audience": "category", "category": "press"}, 2),
    ({"audience": "session", "session": "session"}, 1),
    ({"arrival": "checked_in"}, 1),
    ({"arrival": "not_checked_in"}, 3),
])
def test_the_preview_counts_the_recipients(organiser_client, people, choice, expected):
    choice = {key: str(people[value]) if key in ("category", "session") else value
              for key, value in choice.items()}
    html = _preview(organiser_client, **choice).get_data(as_text=True)
    count = html.split('id="recipient-count">')[1].split("<")[0]
    assert count == f"{expected} recipient" + ("s" if expected != 1 else "")
    assert "下午的论坛改在二号厅举行。" in html and "The afternoon forum moves to Hall 2." in html


def test_sending_mails_each_recipient_in_their_language(app, organiser_client, people, inbox):
    response = _send(organiser_client, 4)
    assert response.status_code == 303
    messages = {str(m["To"]).split(" <")[0]: m for m in inbox.messages}
    assert set(messages) == {"李明", "Ada", "王芳", "Bob"}
    assert messages["李明"]["Subject"] == "会场变更通知"
    assert "下午的论坛改在二号厅举行。" in body_of(messages["李明"]) and "Hall 2" not in body_of(messages["李明"])
    assert messages["Ada"]["Subject"] == "Room change"
    assert body_of(messages["Ada"]).startswith("Dear Ada,")
    html = organiser_client.get("/admin/announcements").get_data(as_text=True)
    sent = html.split('id="sent"')[1]
    assert "Room change" in sent and ">4 ·" in sent and "<td data-label=\"Delivered\">4" in sent
    page = organiser_client.get(f"/admin/registrations/{people['Bob']}").get_data(as_text=True)
    assert "Room change" in page.split('id="mails"')[1]
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.kind == "announcement.send")).scalar_one()
        assert entry.summary == "Room change → 4"


def test_a_changed_audience_is_previewed_again_not_sent(app, organiser_client, people, inbox):
    response = _send(organiser_client, 3)  # the preview said 3; there are 4 now
    assert response.status_code == 200
    assert "changed since the preview" in response.get_data(as_text=True)
    assert inbox.messages == []


def test_missing_text_is_a_form_error_and_sends_nothing(organiser_client, people, inbox):
    response = organiser_client.post("/admin/announcements", data={
        **TEXT, "body_en": "", "audience": "all", "arrival": "any", "confirm_count": "4", "action": "send"})
    assert response.status_code == 400 and "Write the message in English." in response.get_data(as_text=True)
    bad = organiser_client.post("/admin/announcements", data={**TEXT, "audience": "nobody", "arrival": "any"})
    assert bad.status_code == 400
    assert inbox.messages == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_role_matrix(app, staff_client, demo, method):
    anonymous = getattr(app.test_client(), method)("/admin/announcements")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert getattr(staff_client, method)("/admin/announcements").status_code == 403


def test_a_large_audience_is_sent_from_a_thread_and_the_page_answers_at_once(
        app, organiser_client, people, inbox, monkeypatch):
    import time

    from conference.admin import announcing

    monkeypatch.setattr(announcing, "INLINE_AT_MOST", 2)
    assert _send(organiser_client, 4).status_code == 303
    deadline = time.monotonic() + 10
    while len(inbox.messages) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    subjects = sorted(str(m["Subject"]) for m in inbox.messages)
    assert subjects == ["Room change", "Room change", "会场变更通知", "会场变更通知"]
