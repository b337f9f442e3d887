"""Fixtures of the mail tests: the registration test conference, and the app sending to the
loopback SMTP server of ``tests/smtp.py``."""

from __future__ import annotations

import pytest

from tests.registration.conference_data import load_conference

API = "/api/v1/registrations"


@pytest.fixture
def app_config(smtp_port) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def conference_slug(app) -> str:
    return load_conference(app)
