"""check_in(): every outcome a door sees, the scan log, and nonce replays."""

from __future__ import annotations

import os
import time
from datetime import datetime
from types import SimpleNamespace

import pytest

from conference.badges.tokens import InvalidCode, issue_code, read_own_code, verify_code
from conference.checkin.service import CheckinInputError, NonceConflict, check_in
from conference.extensions import db
from conference.models import Conference, Registration
from tests.checkin.conftest import registration, scan_rows
from tests.conftest import make_app


def scan(app, code, **kwargs):
    kwargs = {"gate": "North", "nonce": None, "scanned_by": "test", **kwargs}
    with app.app_context():
        result = check_in(code, **kwargs)
        return SimpleNamespace(
            status=result.status,
            registration_id=result.registration.id if result.registration else None,
            checked_in_at=result.checked_in_at,
            gate=result.gate,
            reentry=result.reentry,
        )


def tamper(code: str, position: int) -> str:
    replacement = "A" if code[position] != "A" else "B"
    return code[:position] + replacement + code[position + 1:]


def test_first_scan_admits_and_records_time_and_gate(app, register):
    badge = register()
    result = scan(app, badge.code, gate="North")
    assert result.status == "ok"
    assert result.registration_id == badge.registration_id
    assert result.gate == "North"
    stored = registration(app, badge.registration_id)
    assert stored.checked_in_at == result.checked_in_at is not None
    assert stored.checked_in_gate == "North"


def test_second_scan_says_when_and_where_the_badge_was_admitted(app, register):
    badge = register()
    first = scan(app, badge.code, gate="North")
    second = scan(app, badge.code, gate="South")
    assert second.status == "already_checked_in"
    assert second.checked_in_at == first.checked_in_at
    assert second.gate == "North"
    assert registration(app, badge.registration_id).checked_in_gate == "North"


def test_scanner_lowercase_and_surrounding_whitespace_still_match(app, register):
    badge = register()
    assert scan(app, f"  {badge.code.lower()}\r\n").status == "ok"


def test_code_typed_by_hand_in_its_printed_groups_of_five_matches(app, register):
    badge = register()
    typed = " ".join(badge.code[i:i + 5] for i in range(0, len(badge.code), 5))
    assert scan(app, typed).status == "ok"


NOT_GENUINE = {
    "tampered payload byte": lambda code: tamper(code, 5),
    "tampered signature byte": lambda code: tamper(code, len(code) - 3),
    "truncated": lambda code: code[:-1],
    "one character too many": lambda code: code + "A",
    "garbage": lambda code: "hello world",
    "URL around the code": lambda code: "https://evil.example/?" + code,
    "empty": lambda code: "",
    "10 kB of junk": lambda code: "Z" * 10_000,
    "a number": lambda code: 12345,
    "None": lambda code: None,
}


def test_anything_but_a_genuine_code_is_invalid_and_admits_nobody(app, register):
    badge = register()
    for label, mangle in NOT_GENUINE.items():
        result = scan(app, mangle(badge.code))
        assert (label, result.status) == (label, "invalid")
        assert result.registration_id is None and result.checked_in_at is None
    assert registration(app, badge.registration_id).checked_in_at is None
    rows = scan_rows(app)
    assert len(rows) == len(NOT_GENUINE)
    assert {(r.result, r.registration_id) for r in rows} == {("invalid", None)}
    assert max(len(r.code) for r in rows) == 300
    assert scan(app, badge.code).status == "ok"  # the genuine code still works


def test_code_signed_with_another_installations_key_is_invalid(app, register, tmp_path, demo):
    badge = register()
    stored = registration(app, badge.registration_id)
    other = make_app(tmp_path / "other", BADGE_SIGNING_KEY=os.urandom(32).hex())
    forged_for = SimpleNamespace(
        public_id=stored.public_id,
        badge_version=stored.badge_version,
        conference=SimpleNamespace(slug=demo),
        category=SimpleNamespace(code=_category_code(app, badge)),
    )
    with other.app_context():
        forged = issue_code(forged_for)
    assert forged != badge.code and len(forged) == len(badge.code)
    assert scan(app, forged).status == "invalid"
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan(app, badge.code).status == "ok"


def test_quick_check_of_own_codes_takes_exactly_the_issued_code(app, register, tmp_path, demo):
    """The door's first admission re-signs instead of verifying: it must accept what we
    issue and refuse every mangled or foreign code, like the full verification."""
    badge = register()
    with app.app_context():
        assert read_own_code(badge.code) == verify_code(badge.code)
        assert read_own_code(f" {badge.code.lower()}\n") == verify_code(badge.code)
        for mangle in NOT_GENUINE.values():
            with pytest.raises(InvalidCode):
                read_own_code(mangle(badge.code))
    stored = registration(app, badge.registration_id)
    other = make_app(tmp_path / "other", BADGE_SIGNING_KEY=os.urandom(32).hex())
    with other.app_context():
        foreign = issue_code(SimpleNamespace(
            public_id=stored.public_id, badge_version=stored.badge_version,
            conference=SimpleNamespace(slug=demo),
            category=SimpleNamespace(code=_category_code(app, badge)),
        ))
    with app.app_context(), pytest.raises(InvalidCode):
        read_own_code(foreign)


def _category_code(app, badge) -> str:
    with app.app_context():
        return db.session.get(Registration, badge.registration_id).category.code


REFUSED = {"cancelled": "cancelled", "rejected": "cancelled",
           "pending": "not_confirmed", "waitlisted": "not_confirmed"}


def test_cancelled_and_unconfirmed_registrations_are_not_admitted(app, register):
    for registration_status, expected in REFUSED.items():
        badge = register(status=registration_status)
        result = scan(app, badge.code)
        assert (registration_status, result.status) == (registration_status, expected)
        assert result.registration_id == badge.registration_id  # staff see whose badge it is
        assert registration(app, badge.registration_id).checked_in_at is None


def test_reissued_badge_revokes_the_old_one(app, register):
    badge = register()
    with app.app_context():
        row = db.session.get(Registration, badge.registration_id)
        row.badge_version += 1
        db.session.commit()
        new_code = issue_code(row)
    assert scan(app, badge.code).status == "revoked"
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan(app, new_code).status == "ok"


def test_badge_from_a_newer_version_than_the_database_knows_is_invalid(app, register):
    badge = register()
    with app.app_context():
        row = db.session.get(Registration, badge.registration_id)
        row.badge_version = 5
        future_code = issue_code(row)
        db.session.rollback()
    assert scan(app, future_code).status == "invalid"


def test_every_scan_is_logged_with_its_outcome(app, register):
    good, pending = register(), register(status="pending", name="Li Na")
    scan(app, good.code, gate="North", scanned_by="user:1:door@example.org")
    scan(app, good.code, gate="South")
    scan(app, "garbage", gate="South")
    scan(app, pending.code, gate=None)
    rows = scan_rows(app)
    assert [(r.result, r.gate, r.registration_id) for r in rows] == [
        ("ok", "North", good.registration_id),
        ("already_checked_in", "South", good.registration_id),
        ("invalid", "South", None),
        ("not_confirmed", None, pending.registration_id),
    ]
    assert rows[0].code == good.code and rows[0].kind == "entry"
    assert rows[0].scanned_by == "user:1:door@example.org"
    assert rows[0].conference_id is not None and rows[2].conference_id is None


def test_same_nonce_again_returns_the_first_answer_and_logs_nothing(app, register):
    badge = register()
    first = scan(app, badge.code, nonce="scan-0001", gate="North")
    again = scan(app, badge.code, nonce="scan-0001", gate="North")
    assert first.status == again.status == "ok"
    assert again.checked_in_at == first.checked_in_at and again.gate == "North"
    assert len(scan_rows(app)) == 1
    # A genuinely new scan of the same badge is still told it was used.
    assert scan(app, badge.code, nonce="scan-0002").status == "already_checked_in"
    assert scan(app, badge.code, nonce="scan-0002").status == "already_checked_in"
    assert len(scan_rows(app)) == 2


def test_replayed_invalid_scan_stays_invalid(app):
    assert scan(app, "garbage", nonce="n-1").status == "invalid"
    assert scan(app, "garbage", nonce="n-1").status == "invalid"
    assert len(scan_rows(app)) == 1


def test_nonce_reused_for_another_code_is_refused(app, register):
    first, second = register(), register(name="Li Na")
    scan(app, first.code, nonce="n-1")
    with pytest.raises(NonceConflict):
        scan(app, second.code, nonce="n-1")
    assert registration(app, second.registration_id).checked_in_at is None
    assert len(scan_rows(app)) == 1


def test_exit_scan_is_logged_and_leaves_the_admission_alone(app, register):
    badge = register()
    entry = scan(app, badge.code, gate="North")
    leaving = scan(app, badge.code, gate="Exit 2", kind="exit")
    assert leaving.status == "ok"
    assert leaving.checked_in_at == entry.checked_in_at
    assert registration(app, badge.registration_id).checked_in_gate == "North"
    assert [r.kind for r in scan_rows(app)] == ["entry", "exit"]


def test_after_an_exit_the_badge_enters_once_more(app, register):
    badge = register()
    first = scan(app, badge.code, gate="North")
    scan(app, badge.code, gate="Exit 2", kind="exit")
    back = scan(app, badge.code, gate="South")
    assert back.status == "ok"
    assert back.checked_in_at == first.checked_in_at  # the first admission is kept
    assert scan(app, badge.code, gate="South").status == "already_checked_in"


def test_reentry_switched_off_keeps_a_badge_out_after_exit(app, register, conference_id):
    with app.app_context():
        db.session.get(Conference, conference_id).checkin_reentry = False
        db.session.commit()
    badge = register()
    scan(app, badge.code, gate="North")
    assert scan(app, badge.code, gate="North").reentry is None  # simply scanned twice
    scan(app, badge.code, gate="Exit 2", kind="exit")
    refused = scan(app, badge.code, gate="North")
    assert (refused.status, refused.reentry) == ("already_checked_in", False)
    assert registration(app, badge.registration_id).checked_in_gate == "North"


def test_exit_scan_of_a_cancelled_registration_says_so(app, register):
    badge = register(status="cancelled")
    assert scan(app, badge.code, kind="exit").status == "cancelled"


def test_unstorable_scan_details_are_refused_before_anything_is_written(app, register):
    badge = register()
    for kwargs in ({"gate": "G" * 61}, {"nonce": "n" * 65}, {"kind": "sideways"}, {"gate": 7}):
        with pytest.raises(CheckinInputError):
            scan(app, badge.code, **kwargs)
    assert scan_rows(app) == []
    assert registration(app, badge.registration_id).checked_in_at is None


def test_time_read_by_the_device_is_kept_for_the_admission_and_the_log(app, register):
    badge = register()
    read_at = datetime(2024, 9, 19, 1, 2, 3)
    result = scan(app, badge.code, scanned_at=read_at)
    assert result.checked_in_at == read_at
    assert registration(app, badge.registration_id).checked_in_at == read_at
    [row] = scan_rows(app)
    assert row.scanned_at == read_at and row.received_at > read_at


def test_badge_of_a_conference_whose_slug_changed_is_invalid(app, register):
    """The code carries a tag of the conference's slug; a badge printed before the slug
    changed no longer matches (on PostgreSQL the tag is compared inside the one-statement
    admission, elsewhere in Python)."""
    badge = register()
    with app.app_context():
        conference = db.session.get(Registration, badge.registration_id).conference
        conference.slug = conference.slug + "-renamed"
        db.session.commit()
    assert scan(app, badge.code).status == "invalid"
    assert registration(app, badge.registration_id).checked_in_at is None
    assert scan_rows(app)[-1].result == "invalid"


def test_first_admission_answers_with_the_holder_and_logs_one_row(app, register):
    badge = register(name="王小明")
    result = scan(app, badge.code, gate="East", nonce="first-1", scanned_by="device:3:Door")
    assert (result.status, result.registration_id, result.gate) == ("ok", badge.registration_id, "East")
    [row] = scan_rows(app)
    assert (row.registration_id, row.nonce, row.gate, row.kind, row.result, row.scanned_by) == (
        badge.registration_id, "first-1", "East", "entry", "ok", "device:3:Door")
    assert row.conference_id == registration(app, badge.registration_id).conference_id
    with app.app_context():
        holder = check_in(badge.code, gate="West", nonce="first-1", scanned_by="device:3:Door")
        assert (holder.replayed, holder.registration.name) == (True, "王小明")
    assert len(scan_rows(app)) == 1


def _wait_for_a_statement_waiting_on_a_lock(seconds: float = 10) -> None:
    """Return once PostgreSQL shows a statement of this database waiting for a lock."""
    deadline = time.monotonic() + seconds
    with db.engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(db.text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )).scalar_one()
            watcher.rollback()  # a new snapshot of pg_stat_activity on each look
            if waiting:
                return
            time.sleep(0.01)
    raise AssertionError(f"no statement waited for a lock within {seconds} s")


@pytest.mark.postgres
def test_postgres_one_statement_admission_waits_for_a_simultaneous_admission(app, register):
    """Another door's transaction admitted the badge but has not committed: the scan
    waits for it, then matches nothing and answers with that door's admission."""
    import threading

    badge = register()
    done = threading.Event()
    answers = {}

    def scan_now():
        answers["late"] = scan(app, badge.code, gate="South", nonce="late-1")
        done.set()

    with app.app_context():
        other_door = db.engine.connect()
        other_door.execute(
            db.update(Registration)
            .where(Registration.id == badge.registration_id)
            .values(checked_in_at=datetime(2024, 9, 19, 0, 30), checked_in_gate="North")
        )
        thread = threading.Thread(target=scan_now)
        thread.start()
        _wait_for_a_statement_waiting_on_a_lock()  # the scan, on the row the other door updated
        assert not done.is_set()
        other_door.commit()
        other_door.close()
    thread.join(10)
    late = answers["late"]
    assert (late.status, late.gate, late.checked_in_at) == (
        "already_checked_in", "North", datetime(2024, 9, 19, 0, 30))
    assert [(r.nonce, r.result) for r in scan_rows(app)] == [("late-1", "already_checked_in")]
