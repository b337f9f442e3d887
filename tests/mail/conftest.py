"""Fixtures of the mail tests: the registration test conference and a real SMTP server on
loopback (aiosmtpd) that keeps what it accepts, with or without SMTPUTF8."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.registration.conference_data import load_conference

API = "/api/v1/registrations"


class Inbox:
    """aiosmtpd handler keeping every message it accepts, as bytes and parsed."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        self.raw.append(envelope.content)
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages, parsed by the standard library."""
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in self.raw]


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_config(smtp_port) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtputf8() -> bool:
    """Override to True for a server that offers SMTPUTF8 (aiosmtpd does not by default)."""
    return False


@pytest.fixture
def inbox(smtp_port, smtputf8):
    handler = Inbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=smtp_port, enable_SMTPUTF8=smtputf8
    )
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def conference_slug(app) -> str:
    return load_conference(app)
