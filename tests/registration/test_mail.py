"""E-mail through a real SMTP server on loopback (aiosmtpd), and the outbox's retries."""

from __future__ import annotations

import email
import email.policy
import io
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import zxingcpp
from icalendar import Calendar
from PIL import Image

from conference.extensions import db
from conference.models import OutboxMessage
from tests.registration.conference_data import api_body

API = "/api/v1/registrations"


@pytest.fixture
def app_config(smtp_port) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


def _attachment(message, filename: str) -> bytes:
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            return part.get_content()
    raise AssertionError(
        f"no attachment {filename}: {[p.get_filename() for p in message.iter_attachments()]}"
    )


def test_confirmation_arrives_with_link_qr_and_ics(client, app, conference_slug, inbox):
    response = client.post(API, json=api_body(name="李明 <b>Li</b>", sessions=["forum"]))
    assert response.status_code == 201
    assert inbox.recipients == [["ada@example.org"]]
    [message] = inbox.messages
    assert "Registration Test Conference" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "李明 <b>Li</b>" in body
    assert "Industry forum" in body
    link = next(line for line in body.splitlines() if "/registration/" in line).strip()
    assert link == f"http://127.0.0.1:5000/registration/{response.json['token']}"  # PUBLIC_URL
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "李明 &lt;b&gt;Li&lt;/b&gt;" in page.get_data(as_text=True)

    calendar = Calendar.from_ical(_attachment(message, "my-sessions.ics"))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Industry forum"

    picture = Image.open(io.BytesIO(_attachment(message, "badge-qr.png")))
    [decoded] = zxingcpp.read_barcodes(picture)
    assert decoded.text == response.json["code"]


def test_confirmation_repeats_the_answers_in_the_attendees_language(
    client, app, conference_slug, inbox
):
    body = api_body(
        language="zh",
        answers={"diet": "halal", "topics": ["sensors", "software"], "access": "轮椅 ♿"},
    )
    assert client.post(API, json=body).status_code == 201
    [message] = inbox.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "饮食需求：清真" in text
    assert "感兴趣的方向：传感器; 软件" in text
    assert "无障碍需求：轮椅 ♿" in text


def test_waiting_list_cancel_and_promotion_are_each_told(client, app, conference_slug, inbox):
    first = client.post(API, json=api_body(email="a@example.org", sessions=["lab"])).json
    client.post(API, json=api_body(email="b@example.org", sessions=["lab"]))
    client.post(f"/registration/{first['token']}/cancel")
    kinds = [(r[0], m["Subject"]) for r, m in zip(inbox.recipients, inbox.messages, strict=True)]
    assert kinds[2][0] == "a@example.org" and "cancelled" in kinds[2][1]
    assert kinds[3][0] == "b@example.org" and "seat is yours" in kinds[3][1]
    body = inbox.messages[3].get_body(preferencelist=("plain",)).get_content()
    assert "Sensor lab" in body and "Seat confirmed" in body


def test_with_the_server_down_the_registration_stands_and_mail_follows(
    client, app, runner, conference_slug, mail_server
):
    response = client.post(API, json=api_body())
    assert response.status_code == 201
    with app.app_context():
        [row] = db.session.execute(db.select(OutboxMessage)).scalars().all()
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.last_error
    # Not due yet: nothing is tried.
    assert "sent 0, not sent 0" in runner.invoke(args=["send-mail"]).output
    mail_server.start()
    result = runner.invoke(args=["send-mail", "--now"])
    handler = mail_server.handler
    assert "sent 1, not sent 0" in result.output
    assert handler.recipients == [["ada@example.org"]]
    assert response.json["token"] in handler.messages[0].get_body().get_content()
    with app.app_context():
        assert db.session.execute(db.select(OutboxMessage.status)).scalar_one() == "sent"


def test_without_a_mail_server_messages_are_files(tmp_path, conference_slug, app, client):
    app.config["MAIL_SERVER"] = None
    response = client.post(API, json=api_body(email="file@example.org"))
    assert response.status_code == 201
    [path] = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "file@example.org"


class _StopSending(Exception):
    """Ends the standing sender in the test below."""


def test_standing_sender_delivers_what_falls_due_while_it_runs(
    client, app, runner, conference_slug, mail_server, monkeypatch
):
    """``send-mail --every S`` keeps looking: a message whose retry falls due between
    two rounds is sent in the next one (the pause between rounds is where time passes)."""
    from conference.mail import outbox

    response = client.post(API, json=api_body(email="later@example.org"))
    assert response.status_code == 201  # the server is down: the message waits
    handler = mail_server.handler
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 1:  # after a round that found nothing due
            assert handler.messages == []
            mail_server.start()
            with app.app_context():
                row = db.session.execute(db.select(OutboxMessage)).scalar_one()
                row.next_attempt_at = row.created_at  # its retry is due now
                db.session.commit()
        else:
            raise _StopSending

    monkeypatch.setattr(outbox, "time", SimpleNamespace(sleep=pause))  # this module's only
    result = runner.invoke(args=["send-mail", "--every", "2"])
    assert isinstance(result.exception, _StopSending)
    assert pauses == [2.0, 2.0]
    assert result.output.strip() == "sent 1, not sent 0"  # quiet rounds print nothing
    assert handler.recipients == [["later@example.org"]]
    with app.app_context():
        assert db.session.execute(db.select(OutboxMessage.status)).scalar_one() == "sent"
