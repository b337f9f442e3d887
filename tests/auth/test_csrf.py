"""Login and logout forms refuse posts without the CSRF token."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_the_token_is_refused(client, staff):
    response = client.post("/login", data={"email": staff[0], "password": staff[1]})
    assert response.status_code == 400
    assert client.get("/checkin").status_code == 302


def test_login_and_logout_with_the_token_from_the_page(client, staff):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": staff[0], "password": staff[1], "csrf_token": token}
    )
    assert response.status_code == 302
    scanner = client.get("/checkin")
    assert scanner.status_code == 200

    assert client.post("/logout").status_code == 400  # a cross-site form cannot log staff out
    assert client.get("/checkin").status_code == 200

    page = scanner.get_data(as_text=True)
    logout_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": logout_token}).status_code == 302
    assert client.get("/checkin").status_code == 302
