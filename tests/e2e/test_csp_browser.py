"""Under the Content-Security-Policy every page still works: no violation reported by
Chromium on the attendee, door and organiser pages, and the cancel button still asks."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import log_in, register_on_the_form


def _watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def test_attendee_pages_run_under_the_policy(live_server, page):
    violations = _watch_violations(page)
    for path in ("/", "/agenda", "/speakers", "/exhibitors", "/register"):
        page.goto(f"{live_server}{path}?lang=en")
    register_on_the_form(page, "Li Na", "li.na@example.org")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("form.cancel-form button[type=submit]")
    expect(page.locator(".status")).not_to_contain_text("Cancelled")  # dismissed: kept
    assert asked and "Cancel your registration?" in asked[0]
    assert violations == []


def test_door_and_organiser_pages_run_under_the_policy(live_server, page, organiser):
    violations = _watch_violations(page)
    log_in(page, live_server, organiser)
    for path in ("/checkin", "/admin/registrations", "/admin/badges", "/admin/checkin"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("main")).to_be_visible()
    page.goto(f"{live_server}/checkin")
    page.keyboard.type("not-a-badge\n")
    expect(page.locator("body")).to_contain_text(re.compile("invalid|Invalid|not valid"))
    assert violations == []
