"""Security headers: every page runs only the site's own scripts, cannot be framed, and
pages for staff, organisers and secret links are never stored by a cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conference.extensions import db
from tests.conftest import make_app


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def _assert_hardened(response) -> None:
    directives = _csp(response)
    assert directives["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no eval
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/agenda", "/speakers", "/exhibitors", "/register",
                                  "/login", "/no-such-page", "/schedule.json"])
def test_public_pages_are_hardened_and_may_be_cached(client, demo, path):
    response = client.get(path)
    _assert_hardened(response)
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if path not in ("/login", "/register"):
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_organiser_pages_cannot_be_framed_or_stored(organiser_client, demo):
    for path in ("/admin/registrations", "/admin/badges", "/admin/checkin", "/agenda"):
        response = organiser_client.get(path)
        assert response.status_code == 200, path
        _assert_hardened(response)
        assert response.headers["Cache-Control"] == "private, no-store", path


def test_the_scanner_page_is_not_stored(staff_client, demo):
    response = staff_client.get("/checkin")
    _assert_hardened(response)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_secret_link_page_sends_no_referrer_and_is_not_stored(client, demo):
    response = client.post("/register", data={
        "name": "Li Na", "email": "li.na@example.org", "organisation": "Lab",
        "category": "delegate", "consent": "y", "website": ""})
    assert response.status_code == 303
    manage = client.get(response.headers["Location"])
    assert manage.status_code == 200
    _assert_hardened(manage)
    assert manage.headers["Referrer-Policy"] == "no-referrer"
    assert manage.headers["Cache-Control"] == "private, no-store"
    assert "onclick=" not in manage.get_data(as_text=True)


def test_no_template_carries_inline_script_or_handlers():
    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        if template.parts[-2] == "pdf":
            continue  # print templates run no script
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+=\"", text), template


def test_a_plain_http_site_sends_no_hsts(client, demo):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_https_sites_send_hsts_and_secure_cookies(tmp_path, app):
    from conference.auth.service import create_or_update_user

    https = make_app(tmp_path / "https", PUBLIC_URL="https://conference.example.org",
                     SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    with https.app_context():
        create_or_update_user("door@example.org", "correct horse battery", "staff")
    response = https.test_client().post(
        "/login", data={"email": "door@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)
    with https.app_context():
        db.engine.dispose()
