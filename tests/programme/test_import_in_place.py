"""import-programme on a conference people registered for: changed in place by slug, held
sessions missing from the file cancelled (never deleted) with their holders told, what
changed printed; --dry-run prints the same and changes nothing."""

from __future__ import annotations

import copy
from datetime import datetime

import yaml

from conference.extensions import db
from conference.models import AuditEntry, OutboxMessage, Registration, Room, Session
from tests.conftest import DEMO
from tests.programme.editing_data import WORKSHOP, by_slug, conference, hold_seats, session

MOVED = "workshop-edge-sensor-data"


def _edited_programme(tmp_path):
    data = copy.deepcopy(DEMO)
    sessions = data["sessions"]
    data["sessions"] = [s for s in sessions if s["slug"] != WORKSHOP]
    unheld = next(s for s in data["sessions"] if "terahertz" in s["slug"])
    data["sessions"].remove(unheld)
    moved = next(s for s in data["sessions"] if s["slug"] == MOVED)
    moved["starts"], moved["ends"] = "2024-09-19 17:30", "2024-09-19 18:30"
    data["sessions"].append({"slug": "late-addition", "title": {"en": "Late addition"},
                             "starts": "2024-09-19 18:00", "ends": "2024-09-19 18:30",
                             "room": "forum-a"})
    main = next(r for r in data["rooms"] if r["slug"] == "main-hall")
    main["capacity"] = 550
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path, unheld["slug"]


def _state(app):
    with app.app_context():
        return {
            "sessions": dict(db.session.execute(db.select(Session.slug, Session.status)).all()),
            "capacity": by_slug(Room, "main-hall").capacity,
            "moved": session(MOVED).starts_at,
            "mails": db.session.scalar(db.select(db.func.count(OutboxMessage.id))),
            "audit": db.session.scalar(db.select(db.func.count(AuditEntry.id))),
        }


def test_a_dry_run_prints_the_changes_and_changes_nothing(app, demo, runner, tmp_path):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en")])
    path, unheld = _edited_programme(tmp_path)
    before = _state(app)
    result = runner.invoke(args=["import-programme", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"session {WORKSHOP}: cancelled (people hold seats in it)" in result.output
    assert f"session {unheld}: deleted" in result.output
    assert "session late-addition: added" in result.output
    assert "room main-hall: changed: capacity 600 → 550" in result.output
    assert "dry run: nothing changed" in result.output
    assert _state(app) == before


def test_the_import_changes_in_place_cancels_held_sessions_and_tells_their_holders(
        app, demo, runner, tmp_path):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en"),
                                                ("bo@example.org", "zh")])
        hold_seats(conference(demo), MOVED, [("cy@example.org", "en")])
    path, unheld = _edited_programme(tmp_path)
    result = runner.invoke(args=["import-programme", str(path)])
    assert result.exit_code == 0, result.output
    assert f"session {MOVED}: changed: starts_at" in result.output
    after = _state(app)
    assert after["sessions"][WORKSHOP] == "cancelled"
    assert unheld not in after["sessions"]
    assert after["sessions"]["late-addition"] == "scheduled"
    assert after["capacity"] == 550
    assert after["moved"] == datetime(2024, 9, 19, 9, 30)  # 17:30 in Hefei
    with app.app_context():
        told = dict(db.session.execute(
            db.select(OutboxMessage.recipient, OutboxMessage.kind)
            .where(OutboxMessage.kind.in_(("session_cancelled", "session_moved")))).all())
        assert told == {"ann@example.org": "session_cancelled",
                        "bo@example.org": "session_cancelled",
                        "cy@example.org": "session_moved"}
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 3
        assert db.session.execute(db.select(AuditEntry).where(
            AuditEntry.kind == "session.cancel", AuditEntry.actor == "cli")).first()


def test_the_same_file_again_changes_nothing(app, demo, runner, tmp_path):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en")])
    path, _ = _edited_programme(tmp_path)
    runner.invoke(args=["import-programme", str(path)])
    result = runner.invoke(args=["import-programme", str(path)])
    assert result.exit_code == 0, result.output
    changes = [line for line in result.output.splitlines()
               if not line.startswith(("clash", "Changed", "question"))]
    assert changes == []
