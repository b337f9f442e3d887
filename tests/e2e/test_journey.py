"""The whole journey in a real browser: register → badge → door scan → programme."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conference.badges.tokens import verify_code
from conference.extensions import db
from conference.models import Registration, Scan

pytestmark = pytest.mark.browser


def register(page, base: str, name: str, email: str) -> str:
    """Fill in /register like a person would; return the badge code shown afterwards."""
    page.goto(f"{base}/register?lang=en")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#organisation", "Anhui Zhongke Terahertz")
    page.fill("#job_title", "Test engineer")
    page.select_option("#category", "delegate")
    page.check("#consent")
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/registration/[A-Za-z0-9_-]{20,}$"))
    expect(page.locator(".qr svg")).to_be_visible()
    return re.sub(r"\s+", "", page.locator(".badge-code code").inner_text())


def test_register_download_badge_scan_at_the_door_and_print_the_programme(
    live_server, page, app, staff
):
    code = register(page, live_server, "王小明", "xiaoming@example.org")
    with app.app_context():
        claim = verify_code(code)
        registration = db.session.execute(db.select(Registration)).scalar_one()
        assert claim.public_id == registration.public_id
        assert registration.status == "confirmed"

    # The badge link on the manage page gives the A6 badge PDF.
    badge_href = page.get_attribute("a[href$='badge.pdf']", "href")
    badge = page.request.get(live_server + badge_href if badge_href.startswith("/") else badge_href)
    assert badge.status == 200
    assert badge.headers["content-type"] == "application/pdf"
    assert badge.body().startswith(b"%PDF")

    # Door staff log in and scan with a keyboard-wedge scanner: the code, then Enter.
    email, password = staff
    page.goto(f"{live_server}/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/checkin$"))
    scan_input = page.locator("#scan-code")
    expect(scan_input).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    result = page.locator("#scan-result")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("王小明")
    expect(result).to_contain_text("Anhui Zhongke Terahertz")

    # The input keeps focus, so the next badge needs no click; the same badge is amber.
    expect(scan_input).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(result).to_have_class(re.compile(r"\bresult-warn\b"))
    expect(result).to_contain_text("Already checked in")

    with app.app_context():
        results = db.session.execute(db.select(Scan.result).order_by(Scan.id)).scalars().all()
        assert results == ["ok", "already_checked_in"]

    # The programme prints.
    programme = page.request.get(f"{live_server}/programme.pdf?lang=zh")
    assert programme.status == 200
    assert programme.headers["content-type"] == "application/pdf"


def test_the_register_form_speaks_chinese_and_explains_mistakes(live_server, page, app):
    page.goto(f"{live_server}/register?lang=zh")
    expect(page.locator("h1")).to_contain_text("报名")
    page.fill("#name", "李雷")
    page.fill("#email", "lilei@localhost")  # the browser accepts it; the server does not
    page.fill("#organisation", "合肥工业大学")
    page.check("#consent")
    page.click("form button[type=submit]")
    error = page.locator("#email-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("电子邮箱")
    expect(page.locator("#name")).to_have_value("李雷")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0
