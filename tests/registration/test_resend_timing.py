"""Asking for the manage link again answers alike, in the same time, whether the address
is registered or not: the request does the same work for both (none of it reads who
registered), and what differs — queueing the mail and sending it — runs after the answer
was sent. (bench/resend_link.py measures it on gunicorn.)"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

from conference.extensions import db
from conference.models import OutboxMessage
from conference.registration.lookups import wait_for_link_requests
from tests.registration.conference_data import api_body


@pytest.fixture
def app_config(silent_smtp_port) -> dict:
    # One process, so mail is sent inline, to a mail server that never answers.
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": silent_smtp_port, "MAIL_TIMEOUT": 1}


def _asked(app, client, email: str) -> tuple[float, list[str], bytes]:
    """Time, SQL statements run by the request's own thread, and the page."""
    me, statements = threading.get_ident(), []

    def seen(conn, cursor, statement, *args):
        if threading.get_ident() == me:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        started = time.monotonic()
        response = client.post("/register/resend-link", data={"email": email})
        took = time.monotonic() - started
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    return took, statements, response.get_data()


def test_a_registered_address_costs_the_request_what_an_unknown_one_does(app, client, conference_slug):
    app.config["MAIL_SEND_INLINE"] = False
    assert client.post("/api/v1/registrations", json=api_body()).status_code == 201
    app.config["MAIL_SEND_INLINE"] = None  # inline again: the one process sends
    _asked(app, client, "warm@example.org")
    known = _asked(app, client, "ada@example.org")
    unknown = _asked(app, client, "nobody@example.org")
    assert known[0] < 0.5, f"{known[0]:.2f} s: the request waited for the mail server"
    assert known[1] == unknown[1] and known[2] == unknown[2]
    wait_for_link_requests()
    with app.app_context():  # queued all the same, and tried once
        [row] = db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.kind == "manage_link")).scalars()
        assert row.attempts == 1 and "timed out" in row.last_error
