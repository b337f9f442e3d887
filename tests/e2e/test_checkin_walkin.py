"""The desk in a real browser: a walk-in registered, admitted and given a badge PDF; a
second walk-in with the same e-mail is sent to the search; times in conference time."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from conference.extensions import db
from conference.models import Registration, Scan
from tests.e2e.test_checkin_scanner import make_badge, open_scanner, wedge_scan

pytestmark = pytest.mark.browser


def fill_walk_in(page, name: str, email: str, *, consent: bool = True) -> None:
    if not page.locator("#walk-in-name").is_visible():
        page.locator("#walk-in summary").click()
    page.fill("#walk-in-name", name)
    page.fill("#walk-in-email", email)
    page.fill("#walk-in-organisation", "Hefei Sensor Lab")
    page.fill("#walk-in-job-title", "Engineer")
    page.select_option("#walk-in-category", "delegate")
    if consent:
        page.check("#walk-in-consent")
    page.click("#walk-in-form button[type=submit]")


def test_walk_in_is_admitted_and_gets_a_badge_pdf(live_server, page, app, demo, staff):
    open_scanner(page, live_server, staff)
    page.fill("#scan-gate", "Desk")

    fill_walk_in(page, "Walker Qian", "walker@example.org", consent=False)
    expect(page.locator('[data-error-for="consent"]')).to_be_visible()

    page.check("#walk-in-consent")
    page.click("#walk-in-form button[type=submit]")
    result = page.locator("#scan-result")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("Walker Qian")
    badge = page.locator("#walk-in-badge")
    expect(badge).to_be_visible()
    expect(page.locator("#walk-in-result")).to_contain_text("confirmed")

    # The badge link holds the focus, ready to print; a badge scanned next still reaches
    # the door and opens no PDF.
    expect(badge).to_be_focused()
    _, code = make_badge(app, demo, name="After Walk-in")
    wedge_scan(page, code)
    expect(result).to_contain_text("After Walk-in")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    assert len(page.context.pages) == 1

    pdf = page.request.get(live_server + badge.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["cache-control"] == "private, no-store"
    assert pdf.body().startswith(b"%PDF")
    assert "Walker Qian" in " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())

    with app.app_context():
        person = db.session.execute(
            db.select(Registration).where(Registration.email == "walker@example.org")
        ).scalar_one()
        assert (person.source, person.status, person.checked_in_gate) == ("desk", "confirmed", "Desk")
        scan = db.session.execute(db.select(Scan).order_by(Scan.id)).scalars().first()
        assert scan.registration_id == person.id and scan.result == "ok"

    # The same e-mail again: told so, and offered the search that finds the person.
    fill_walk_in(page, "Walker Q.", "walker@example.org")
    expect(page.locator("#walk-in-result")).to_contain_text("already registered")
    page.locator("#walk-in-result button").click()
    expect(page.locator("#lost-results")).to_contain_text("Walker Qian")


def test_recent_scans_and_answers_use_conference_time(live_server, chromium, app, demo, staff):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                   timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _, code = make_badge(app, demo)
        open_scanner(page, live_server, staff)
        wedge_scan(page, code)
        expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-ok\b"))
        wedge_scan(page, code)
        expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-warn\b"))
        now = datetime.now(UTC)
        shanghai = {(now + timedelta(minutes=d)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
                    for d in (-1, 0)}
        detail = page.locator("#scan-result .result-detail").inner_text()
        history = page.locator("#scan-history .history-time").all_inner_texts()
        assert len(history) == 2
        assert set(history) <= shanghai, (history, shanghai)
        assert any(time in detail for time in shanghai), detail
    finally:
        context.close()
