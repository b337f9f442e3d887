"""Browser fixtures: a live server on loopback and headless Chromium (Debian's, never a
downloaded one). One Chromium serves the whole session, whichever folder asks for it."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app, demo):
    """The test app served by a threaded WSGI server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect, sync_playwright

    # As long as a page waits for anything (below): a loaded machine must not fail a
    # check that the page passes a moment later.
    expect.set_options(timeout=10_000)

    assert CHROMIUM.exists(), "Chromium is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                   accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def wait_until(page, predicate: str, arg=None, timeout: float = 10.0) -> None:
    """Wait until the JavaScript function ``predicate`` (called with ``arg``) returns a truthy
    value in the page. Unlike ``page.wait_for_function``, it polls from here with
    ``page.evaluate``, which the site's Content-Security-Policy (no ``eval``) allows."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {predicate}")
        page.wait_for_timeout(50)


def register_on_the_form(page, name: str, email: str) -> None:
    """Fill the open /register page with the required fields (organisation "Lab", category
    delegate), send it, and wait for the manage page."""
    from playwright.sync_api import expect

    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#organisation", "Lab")
    page.select_option("#category", "delegate")
    page.check("#consent")
    page.click("form.register-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/registration/[A-Za-z0-9_-]{20,}$"))


def log_in(page, live_server, account, *, lang: str = "en", next_path: str | None = None) -> None:
    """Log ``account`` ((email, password), as the ``staff`` and ``organiser`` fixtures give
    it) in through the login page."""
    email, password = account
    page.goto(f"{live_server}/login?lang={lang}" + (f"&next={next_path}" if next_path else ""))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form button[type=submit]")
