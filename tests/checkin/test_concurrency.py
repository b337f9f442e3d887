"""One admission per badge under simultaneous scans (real threads, real PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from conference.checkin.service import UNSAFE_SWITCH, check_in
from conference.extensions import db
from tests.checkin.conftest import registration, scan_rows
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.postgres]

SCANNERS = 20


@pytest.fixture
def app_config():
    # One connection per scanner thread, so none waits for the pool.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": SCANNERS + 2, "max_overflow": 0}}


def scan_all_at_once(app, code: str, nonce: str | None = None) -> Counter:
    barrier = threading.Barrier(SCANNERS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def scanner(number: int) -> None:
        try:
            with app.app_context():
                db.session.execute(db.text("SELECT 1"))  # hold a connection before the start
                db.session.commit()
                barrier.wait(timeout=30)
                result = check_in(code, gate=f"gate-{number}", nonce=nonce, scanned_by=f"t{number}")
                outcomes.append(result.status)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(SCANNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return Counter(outcomes)


def test_twenty_simultaneous_scans_admit_exactly_once(app, register):
    badge = register()
    outcomes = scan_all_at_once(app, badge.code)
    assert outcomes == Counter({"ok": 1, "already_checked_in": SCANNERS - 1})
    rows = scan_rows(app)
    assert len(rows) == SCANNERS
    [winner] = [row for row in rows if row.result == "ok"]
    assert registration(app, badge.registration_id).checked_in_gate == winner.gate


def test_one_scan_sent_twenty_times_at_once_is_logged_once(app, register):
    """A device retrying the same scan on several connections: one answer, one log row."""
    badge = register()
    outcomes = scan_all_at_once(app, badge.code, nonce="retry-1")
    assert outcomes == Counter({"ok": SCANNERS})
    assert len(scan_rows(app)) == 1


def test_control_read_then_write_admits_more_than_once(app, register):
    """Without the atomic UPDATE the same threads do admit twice: the test above can fail."""
    app.config[UNSAFE_SWITCH] = True
    badge = register()
    outcomes = scan_all_at_once(app, badge.code)
    assert outcomes["ok"] > 1, outcomes
    assert sum(outcomes.values()) == SCANNERS
    assert len(scan_rows(app)) == SCANNERS
