"""Password guessing is slowed down: too many login attempts get 429."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}


def test_fourth_login_attempt_in_a_minute_is_refused(client, staff):
    for _ in range(3):
        response = client.post("/login", data={"email": staff[0], "password": "guess"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": staff[0], "password": staff[1]})
    assert response.status_code == 429
    assert client.get("/login").status_code == 200  # the form itself stays reachable
