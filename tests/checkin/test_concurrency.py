"""One admission per badge under simultaneous scans (real threads, real PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from conference.checkin import service
from conference.checkin.service import check_in
from conference.extensions import db
from conference.models import Registration
from tests.checkin.conftest import registration, scan_rows

pytestmark = pytest.mark.postgres

SCANNERS = 20


@pytest.fixture
def app_config():
    # One connection per scanner thread, so none waits for the pool.
    # synchronous_commit=off: commits stop waiting for the disk (test speed only; the
    # visibility and locking that decide admissions are unchanged).
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_size": SCANNERS + 2,
            "max_overflow": 0,
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    }


@pytest.fixture
def read_then_write(monkeypatch):
    """``read_then_write(pause)``: from now on the door admits the racy way, for the
    controls only: it reads whether the badge was admitted, pauses ``pause`` seconds and
    writes the admission unconditionally, instead of the one conditional UPDATE (and the
    one-statement admission, atomic as well, is not tried)."""

    def switch(pause: float) -> None:
        def admit(registration_id, at, gate) -> bool:
            seen = db.session.execute(
                db.select(Registration.checked_in_at).where(Registration.id == registration_id)
            ).scalar_one()
            if seen is not None:
                return False
            time.sleep(pause)  # widens the window between the read and the write
            db.session.execute(
                db.update(Registration)
                .where(Registration.id == registration_id)
                .values(checked_in_at=at, checked_in_gate=gate)
                .execution_options(synchronize_session=False)
            )
            return True

        monkeypatch.setattr(service, "_admit", admit)
        monkeypatch.setattr(service, "_one_statement_admission", lambda: False)

    return switch


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


def test_control_read_then_write_admits_more_than_once(app, register, read_then_write):
    """Without the atomic UPDATE the same threads do admit twice: the test above can fail."""
    read_then_write(pause=0.05)
    badge = register()
    outcomes = scan_all_at_once(app, badge.code)
    assert outcomes["ok"] > 1, outcomes
    assert sum(outcomes.values()) == SCANNERS
    assert len(scan_rows(app)) == SCANNERS


CROWD_THREADS = 16
CROWD_BADGES = 200


def _register_crowd(app, conference_id: int, count: int) -> list[str]:
    from conference.badges.tokens import issue_code
    from conference.models import Conference

    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        people = [
            Registration(
                conference=conference,
                category=conference.categories[0],
                name=f"Guest {n}",
                email=f"guest{n}@example.org",
                status="confirmed",
            )
            for n in range(count)
        ]
        db.session.add_all(people)
        db.session.commit()
        return [issue_code(person) for person in people]


def scan_crowd(app, codes: list[str]) -> Counter:
    """Every thread scans every badge, each thread in its own random order."""
    import random

    barrier = threading.Barrier(CROWD_THREADS)
    outcomes: Counter = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def scanner(number: int) -> None:
        order = list(codes)
        random.Random(number).shuffle(order)
        mine: Counter = Counter()
        try:
            with app.app_context():
                db.session.execute(db.text("SELECT 1"))
                db.session.commit()
                barrier.wait(timeout=30)
                for code in order:
                    mine[check_in(code, gate=f"gate-{number}", nonce=None, scanned_by="t").status] += 1
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        with lock:
            outcomes.update(mine)

    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(CROWD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return outcomes


def test_sixteen_gates_scanning_two_hundred_badges_admit_each_once(app, conference_id):
    codes = _register_crowd(app, conference_id, CROWD_BADGES)
    outcomes = scan_crowd(app, codes)
    assert outcomes == Counter(
        {"ok": CROWD_BADGES, "already_checked_in": CROWD_BADGES * (CROWD_THREADS - 1)}
    )
    with app.app_context():
        admitted = db.session.execute(
            db.text("SELECT count(*) FROM registration WHERE checked_in_at IS NOT NULL")
        ).scalar_one()
    assert admitted == CROWD_BADGES


def test_control_sixteen_gates_read_then_write_admit_some_badges_twice(
    app, conference_id, read_then_write
):
    """The same crowd without the atomic UPDATE: double admissions appear."""
    read_then_write(pause=0.002)
    badges = CROWD_BADGES // 4  # enough to show the race, in a quarter of the time
    codes = _register_crowd(app, conference_id, badges)
    outcomes = scan_crowd(app, codes)
    assert sum(outcomes.values()) == badges * CROWD_THREADS
    assert outcomes["ok"] > badges, outcomes
