"""Offline door: with the check-in API unreachable the page verifies the badge signature
itself, queues the scan in IndexedDB, keeps it across a reload and uploads it later with
the time it was scanned."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conference.extensions import db
from conference.models import Registration, Scan
from conference.models.base import utcnow
from tests.browser import wait_until
from tests.e2e.test_checkin_scanner import make_badge, open_scanner, wedge_scan

pytestmark = pytest.mark.browser

BLOCK = "**/api/v1/checkin"

# Every record in every IndexedDB database of the page's origin, whatever the queue's name.
COUNT_STORED_RECORDS = """
async () => {
  const request = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result);
                                                     r.onerror = () => fail(r.error); });
  let records = 0;
  for (const { name } of await indexedDB.databases()) {
    const database = await request(indexedDB.open(name));
    for (const store of database.objectStoreNames) {
      records += await request(database.transaction(store).objectStore(store).count());
    }
    database.close();
  }
  return records;
}
"""


def block(route):
    route.abort()


def scan_count(app) -> int:
    with app.app_context():
        count = db.session.execute(db.select(db.func.count(Scan.id))).scalar_one()
        db.session.remove()
        return count


def eventually(page, read, expected, seconds: float = 15) -> None:
    """Wait until ``read()`` gives ``expected``, looking every 100 ms; fail after ``seconds``."""
    for _ in range(int(seconds * 10)):
        if read() == expected:
            return
        page.wait_for_timeout(100)
    assert read() == expected


def wait_for_scans(app, page, expected: int) -> None:
    eventually(page, lambda: scan_count(app), expected)


def wait_for_stored_records(page, expected: int) -> None:
    eventually(page, lambda: page.evaluate(COUNT_STORED_RECORDS), expected)


def test_offline_scan_is_admitted_on_signature_queued_and_uploaded_with_its_time(
    live_server, page, app, demo, staff
):
    registration_id, code = make_badge(app, demo, name="Offline Person")
    _, forged = make_badge(app, demo, name="Other")
    forged = forged[:-4] + ("AAAA" if not forged.endswith("AAAA") else "BBBB")
    open_scanner(page, live_server, staff)
    wait_until(page, "() => localStorage.getItem('checkin.keys') !== null")
    result = page.locator("#scan-result")

    page.route(BLOCK, block)
    before = utcnow() - timedelta(seconds=1)
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("Offline — accepted on signature")
    scanned_before = utcnow() + timedelta(seconds=1)
    pending = page.locator("#offline-pending")
    expect(pending).to_have_text("1 offline scan waiting to upload")
    # The same badge again on this device: amber, even offline. A forged code fails the
    # signature check. Neither let anyone in, so neither waits for upload: uploaded
    # late, a refusal would look like a second admission to the organisers.
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-warn\b"))
    wedge_scan(page, forged)
    expect(result).to_have_class(re.compile(r"\bresult-bad\b"))
    expect(pending).to_have_text("1 offline scan waiting to upload")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Scan.id))).scalar_one() == 0

    # Reload while still offline: the queue is kept.
    page.reload()
    expect(pending).to_have_text("1 offline scan waiting to upload")

    # Back online: the queue is uploaded and the server keeps the scan time. (Wait until
    # the upload can only come after ``scanned_before``, however fast the steps above.)
    time.sleep(max(0.0, (scanned_before - utcnow()).total_seconds()) + 0.05)
    page.unroute(BLOCK, block)
    page.reload()
    wait_for_scans(app, page, 1)
    expect(pending).to_be_hidden()
    with app.app_context():
        person = db.session.get(Registration, registration_id)
        assert person.checked_in_at is not None
        assert before <= person.checked_in_at <= scanned_before
        rows = db.session.execute(db.select(Scan).order_by(Scan.scanned_at)).scalars().all()
        assert [r.result for r in rows] == ["ok"]
        assert rows[0].scanned_at == person.checked_in_at
        assert rows[0].received_at > scanned_before


def test_offline_scan_can_be_undone_before_it_is_uploaded(live_server, page, app, demo, staff):
    registration_id, code = make_badge(app, demo, name="Mistake Person")
    open_scanner(page, live_server, staff)
    wait_until(page, "() => localStorage.getItem('checkin.keys') !== null")
    page.route(BLOCK, block)
    wedge_scan(page, code)
    expect(page.locator("#scan-result")).to_contain_text("Offline — accepted on signature")
    page.click("#scan-undo")
    expect(page.locator("#scan-result")).to_contain_text("Scan undone")
    expect(page.locator("#offline-pending")).to_be_hidden()
    wait_for_stored_records(page, 0)  # nothing left on the device that could be uploaded
    page.unroute(BLOCK, block)
    page.reload()
    _, other = make_badge(app, demo, name="Next Person")
    wedge_scan(page, other)  # the page is online again: this scan reaches the server
    wait_for_scans(app, page, 1)
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is None
        [row] = db.session.execute(db.select(Scan)).scalars().all()
        assert row.registration.name == "Next Person"


def test_offline_queue_survives_a_browser_restart(live_server, chromium, app, demo, staff, tmp_path):
    """The queue lives in IndexedDB of the browser profile: closing the browser with a scan
    waiting, then starting it again, uploads that scan with its original time."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    registration_id, code = make_badge(app, demo, name="Restart Person")
    profile = tmp_path / "profile"

    def start_browser():
        context = chromium.browser_type.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            viewport={"width": 390, "height": 844}, locale="en-GB",
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(10_000)
        return context, page

    context, page = start_browser()
    open_scanner(page, live_server, staff)
    wait_until(page, "() => localStorage.getItem('checkin.keys') !== null")
    page.route(BLOCK, block)
    scanned_from = utcnow() - timedelta(seconds=1)
    wedge_scan(page, code)
    expect(page.locator("#scan-result")).to_contain_text("Offline — accepted on signature")
    expect(page.locator("#offline-pending")).to_have_text("1 offline scan waiting to upload")
    scanned_until = utcnow() + timedelta(seconds=1)
    context.close()  # the whole browser stops: a persistent context is its own browser
    assert scan_count(app) == 0

    time.sleep(max(0.0, (scanned_until - utcnow()).total_seconds()) + 0.05)
    context, page = start_browser()
    try:
        open_scanner(page, live_server, staff)  # log in again: the page uploads on load
        wait_for_scans(app, page, 1)
        expect(page.locator("#offline-pending")).to_be_hidden()
    finally:
        context.close()
    with app.app_context():
        person = db.session.get(Registration, registration_id)
        assert scanned_from <= person.checked_in_at <= scanned_until
        [row] = db.session.execute(db.select(Scan)).scalars().all()
        assert row.received_at > scanned_until


# Where the browser's WebCrypto has no Ed25519 (Safari before 17, Chromium before 137).
WEBCRYPTO_WITHOUT_ED25519 = """
(() => {
  const importKey = SubtleCrypto.prototype.importKey;
  SubtleCrypto.prototype.importKey = function (format, key, algorithm, ...rest) {
    if (algorithm && algorithm.name === "Ed25519") {
      return Promise.reject(new DOMException("Ed25519", "NotSupportedError"));
    }
    return importKey.call(this, format, key, algorithm, ...rest);
  };
})();
"""


def test_offline_check_uses_the_vendored_ed25519_where_webcrypto_has_none(
    live_server, page, app, demo, staff
):
    _, code = make_badge(app, demo, name="Old Browser Person")
    _, other = make_badge(app, demo, name="Forged")
    forged = other[:-4] + ("AAAA" if not other.endswith("AAAA") else "BBBB")
    page.add_init_script(WEBCRYPTO_WITHOUT_ED25519)
    vendored = []
    page.on("request", lambda request: vendored.append(request.url)
            if "/static/vendor/noble-ed25519/" in request.url else None)
    open_scanner(page, live_server, staff)
    wait_until(page, "() => localStorage.getItem('checkin.keys') !== null")
    page.route(BLOCK, block)
    result = page.locator("#scan-result")

    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("Offline — accepted on signature")
    wedge_scan(page, forged)
    expect(result).to_have_class(re.compile(r"\bresult-bad\b"))
    assert vendored and all(url.endswith("/static/vendor/noble-ed25519/index.js") for url in vendored)
