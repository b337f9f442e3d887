"""Addresses with non-ASCII characters, and a sender that one bad message cannot stop."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from conference.extensions import db
from conference.models import OutboxMessage, Registration
from conference.models.base import utcnow
from tests.mail.conftest import API
from tests.registration.conference_data import api_body
from tests.smtp import body_of

CHINESE = "用户@例子.中国"
CHINESE_ASCII_DOMAIN = "xn--fsqu00a.xn--fiqs8s"


@pytest.fixture
def app_config(smtp_port) -> dict:
    """Web requests only queue: ``flask send-mail`` delivers."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_TIMEOUT": 5,
        "MAIL_SEND_INLINE": False,
    }


def _outbox(app) -> dict[str, OutboxMessage]:
    with app.app_context():
        rows = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        return {f"{row.recipient} {row.kind}": row for row in rows}


def _queue_unknown_kind(app, email: str) -> None:
    """A message of a kind this release has no template for (as a newer release, during a
    rolling upgrade, may queue): it cannot be composed."""
    with app.app_context():
        registration = db.session.execute(
            db.select(Registration).where(Registration.email == email)
        ).scalar_one()
        db.session.add(
            OutboxMessage(registration_id=registration.id, kind="invoice", recipient=email)
        )
        db.session.commit()


@pytest.mark.parametrize("smtputf8", [True])
def test_international_addresses_are_delivered_by_a_server_that_speaks_smtputf8(
    client, runner, conference_slug, inbox
):
    assert client.post(API, json=api_body(email="info@例子.中国")).status_code == 201
    assert client.post(API, json=api_body(email=CHINESE, name="李明")).status_code == 201
    assert "sent 2, not sent 0" in runner.invoke(args=["send-mail", "--now"]).output
    assert inbox.recipients == [
        [f"info@{CHINESE_ASCII_DOMAIN}"],
        [f"用户@{CHINESE_ASCII_DOMAIN}"],
    ]
    first, second = inbox.messages
    assert first["To"].addresses[0].addr_spec == f"info@{CHINESE_ASCII_DOMAIN}"
    assert inbox.raw[0].isascii()  # an IDN domain alone needs no SMTPUTF8
    # SMTPUTF8: the header is UTF-8 as it stands (RFC 6532).
    assert f"\r\nTo: 李明 <用户@{CHINESE_ASCII_DOMAIN}>\r\n" in inbox.raw[1].decode("utf-8")
    assert "李明" in body_of(second)


def test_an_address_the_server_cannot_take_fails_with_its_reason_and_the_rest_goes(
    client, app, runner, conference_slug, inbox
):
    client.post(API, json=api_body(email=CHINESE))  # first in line
    client.post(API, json=api_body(email="ada@example.org"))
    result = runner.invoke(args=["send-mail", "--now"])
    assert result.exit_code == 0, result.output
    assert "sent 1, not sent 1" in result.output
    assert inbox.recipients == [["ada@example.org"]]
    row = _outbox(app)[f"{CHINESE} confirmed"]
    assert row.status == "failed"
    assert "SMTPUTF8" in row.last_error
    # Failed for good: not tried again on the next run.
    assert "sent 0, not sent 0" in runner.invoke(args=["send-mail", "--now"]).output


def test_a_message_that_cannot_be_composed_waits_for_a_retry_and_the_rest_goes(
    client, app, runner, conference_slug, inbox
):
    client.post(API, json=api_body(email="eve@example.org"))
    _queue_unknown_kind(app, "eve@example.org")
    client.post(API, json=api_body(email="ada@example.org"))
    result = runner.invoke(args=["send-mail", "--now"])
    assert result.exit_code == 0, result.output
    assert "sent 2, not sent 1" in result.output
    assert inbox.recipients == [["eve@example.org"], ["ada@example.org"]]
    row = _outbox(app)["eve@example.org invoice"]
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=20)  # a pause before the retry


class _StopSending(Exception):
    """Ends the standing sender in the test below."""


def test_the_standing_sender_outlives_messages_it_cannot_send(
    client, app, runner, conference_slug, inbox, monkeypatch
):
    from conference.mail import outbox

    client.post(API, json=api_body(email=CHINESE))
    _queue_unknown_kind(app, CHINESE)
    client.post(API, json=api_body(email="ada@example.org"))
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise _StopSending

    monkeypatch.setattr(outbox, "time", SimpleNamespace(sleep=pause))  # this module's only
    result = runner.invoke(args=["send-mail", "--every", "2"])
    assert isinstance(result.exception, _StopSending)  # it was still going after two rounds
    assert pauses == [2.0, 2.0]
    assert result.output.strip() == "sent 1, not sent 2"  # the second round had nothing due
    assert inbox.recipients == [["ada@example.org"]]
    statuses = {key: row.status for key, row in _outbox(app).items()}
    assert statuses == {
        f"{CHINESE} confirmed": "failed",
        f"{CHINESE} invoice": "pending",
        "ada@example.org confirmed": "sent",
    }
