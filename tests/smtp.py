"""Mail fixtures: a real SMTP server on loopback (aiosmtpd) that keeps what it accepts, with
or without SMTPUTF8, on a port that is the test's from the start.

``mail_server`` holds a socket bound to a port the system picks but not yet listening: a
connection to it is refused, as by a mail server that is down, and no other process can
take the port meanwhile. ``mail_server.start()`` serves on that very socket; ``inbox`` is
the started server's handler.
"""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


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


class MailServer(Controller):
    """aiosmtpd's controller serving on a socket bound before it starts (see above)."""

    def __init__(self, handler: Inbox, **kwargs) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.started = False
        super().__init__(handler, hostname="127.0.0.1", port=self.socket.getsockname()[1],
                         **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.socket)

    def start(self) -> None:
        self.started = True
        super().start()

    def close(self) -> None:
        if self.started:
            self.stop()
        self.socket.close()


@pytest.fixture
def smtputf8() -> bool:
    """Override to True for a server that offers SMTPUTF8 (aiosmtpd does not by default)."""
    return False


@pytest.fixture
def mail_server(smtputf8):
    """The SMTP server, not started: its port refuses connections until ``start()``."""
    server = MailServer(Inbox(), enable_SMTPUTF8=smtputf8)
    yield server
    server.close()


@pytest.fixture
def smtp_port(mail_server) -> int:
    return mail_server.port


@pytest.fixture
def silent_smtp_port():
    """A port whose connections the kernel accepts and nobody ever answers: a mail
    server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def inbox(mail_server) -> Inbox:
    """The started server's handler: what it has accepted."""
    mail_server.start()
    return mail_server.handler


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
