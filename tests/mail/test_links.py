"""The links in e-mails point at PUBLIC_URL, whatever Host header the request carried."""

from __future__ import annotations

import pytest

from conference.registration.lookups import wait_for_link_requests
from tests.conftest import make_app
from tests.mail.conftest import API
from tests.registration.conference_data import api_body
from tests.smtp import body_of


@pytest.fixture
def app_config(smtp_port) -> dict:
    # As `make run` and gunicorn serve: no SERVER_NAME, every Host header is answered.
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "SERVER_NAME": None}


def _link(message) -> str:
    return next(line for line in body_of(message).splitlines() if "/registration/" in line)


def test_a_forged_host_header_never_reaches_the_mailed_link(client, conference_slug, inbox):
    token = client.post(API, json=api_body()).json["token"]
    response = client.post(
        "/register/resend-link",
        data={"email": "ada@example.org"},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 200
    wait_for_link_requests()
    confirmation, resent = inbox.messages
    assert "link" in resent["Subject"]
    assert _link(resent) == f"http://127.0.0.1:5000/registration/{token}"
    assert "evil.example" not in inbox.raw[1].decode()
    assert _link(confirmation) == _link(resent)


def test_the_links_follow_public_url_with_its_path(app, client, conference_slug, inbox):
    app.config["PUBLIC_URL"] = "https://conference.example.cn/hefei/"
    token = client.post(API, json=api_body(), headers={"Host": "evil.example"}).json["token"]
    [message] = inbox.messages
    assert _link(message) == f"https://conference.example.cn/hefei/registration/{token}"


def test_public_url_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://conference.example.cn")
    assert make_app(tmp_path).config["PUBLIC_URL"] == "https://conference.example.cn"
