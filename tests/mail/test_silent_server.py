"""A mail server that accepts connections and never answers holds no web request of a
multi-worker deployment, and holds the sender no longer than ``MAIL_TIMEOUT``."""

from __future__ import annotations

import time

import pytest

from conference.extensions import db
from conference.mail.outbox import deliver_due
from conference.models import OutboxMessage
from conference.models.base import utcnow
from tests.mail.conftest import API
from tests.registration.conference_data import api_body


@pytest.fixture
def app_config(silent_smtp_port) -> dict:
    # Two gunicorn workers, as gunicorn.conf.py tells them; MAIL_SEND_INLINE left alone.
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": silent_smtp_port, "MAIL_TIMEOUT": 10,
            "WEB_WORKERS": "2"}


def test_a_registration_answers_at_once_and_the_sender_gives_up_after_the_timeout(
    app, client, conference_slug
):
    started = time.monotonic()
    response = client.post(API, json=api_body())
    took = time.monotonic() - started
    assert response.status_code == 201
    assert took < 2, f"the registration took {took:.1f} s"  # 10 s if it talked to the server
    with app.app_context():
        [row] = db.session.execute(db.select(OutboxMessage)).scalars()
        assert (row.status, row.attempts) == ("pending", 0)  # queued for the sender
        app.config["MAIL_TIMEOUT"] = 0.5
        started = time.monotonic()
        assert deliver_due(utcnow()) == (0, 1)
        assert time.monotonic() - started < 3
        row = db.session.get(OutboxMessage, row.id)
        assert row.attempts == 1 and "timed out" in row.last_error
