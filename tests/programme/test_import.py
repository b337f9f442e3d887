"""Loading a conference from a programme file: `seed-demo` and `import-programme`."""

from __future__ import annotations

from pathlib import Path

import pytest

from conference.extensions import db
from conference.models import Conference, Registration, Session
from conference.programme.importer import ProgrammeError, import_programme

MINIMAL = Path(__file__).with_name("minimal.yaml")


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_seed_demo_loads_the_demo_conference(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        assert conference.slug == "hefei-smart-sensor-2024"
        assert conference.is_demo
        assert conference.name_zh and conference.name_en
        assert conference.timezone == "Asia/Shanghai"
        assert len(conference.rooms) >= 3
        assert len(conference.tracks) == 4
        assert len(conference.sessions) >= 20
        assert len(conference.speakers) >= 15
        assert len(conference.exhibitors) >= 12
        kinds = {s.kind for s in conference.sessions}
        assert {"keynote", "panel", "workshop", "break"} <= kinds
        assert any(s.capacity for s in conference.sessions if s.kind == "workshop")
        names = {e.name_en for e in conference.exhibitors}
        assert any("Terahertz" in name for name in names)
        # Every session starts on 19 September 2024 in Hefei (UTC+8), stored as UTC.
        assert all(s.starts_at.date().isoformat() in {"2024-09-18", "2024-09-19"}
                   for s in conference.sessions)


def test_seed_demo_twice_replaces_rather_than_duplicates(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert count(Conference) == 1


def test_seed_demo_if_empty_keeps_an_existing_conference(runner, app):
    assert runner.invoke(args=["import-programme", str(MINIMAL)]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "nothing to do" in result.output
    with app.app_context():
        assert db.session.execute(db.select(Conference.slug)).scalars().all() == ["tiny-conf"]


def test_import_programme_keeps_local_times_and_speaker_order(runner, app):
    result = runner.invoke(args=["import-programme", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "1 sessions" in result.output
    with app.app_context():
        session = db.session.execute(db.select(Session)).scalar_one()
        # 09:00 in Berlin summer time is 07:00 UTC.
        assert session.starts_at.isoformat() == "2025-05-01T07:00:00"
        assert [s.slug for s in session.speakers] == ["bob", "ada"]
        assert session.t("title", "zh") == "欢迎"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("room: hall", "room: attic"), 30, "unknown room 'attic'"),
        (("speakers: [bob, ada]", "speakers: [bob, eve]"), 32, "unknown speaker 'eve'"),
        (("timezone: Europe/Berlin", "timezone: Mars/Olympus"), 7, "unknown time zone"),
        (("ends: 2025-05-01 09:30", "ends: 2025-05-01 08:30"), 29, "ends before it starts"),
        (("colour: \"#112233\"", "colour: blue"), 18, "#1f6feb"),
        (("  - slug: bob", "  - slug: ada"), 22, "used twice"),
        (("kind: keynote", "kind: party"), 27, "kind 'party'"),
        (("starts: 2025-05-01 09:00", "starts: tomorrow"), 28, "local time like"),
        (("    name: Hall", "    name: Hall\n    seats: 4"), 15, "unknown key 'seats'"),
        (("  slug: tiny-conf", "  slug: Tiny Conf!"), 2, "lowercase"),
    ],
)
def test_bad_files_get_line_precise_errors_and_change_nothing(runner, app, tmp_path, change, line,
                                                              message):
    text = MINIMAL.read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = runner.invoke(args=["import-programme", str(bad)])
    assert result.exit_code != 0
    assert f"bad.yaml:{line}:" in result.output
    assert message in result.output
    with app.app_context():
        assert count(Conference) == 0
        assert count(Session) == 0


def test_yaml_syntax_error_names_its_line(runner, app, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("conference:\n  slug: x\n  name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(args=["import-programme", str(bad)])
    assert result.exit_code != 0
    assert "broken.yaml:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"- just\n- a list\n", b"\xff\xfe\x00garbage"])
def test_empty_list_or_binary_files_are_refused_cleanly(runner, app, tmp_path, content):
    bad = tmp_path / "odd.yaml"
    bad.write_bytes(content)
    result = runner.invoke(args=["import-programme", str(bad)])
    assert result.exit_code == 1
    assert "Error:" in result.output
    with app.app_context():
        assert count(Conference) == 0


def test_reimport_is_refused_once_people_have_registered(app):
    with app.app_context():
        conference = import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        db.session.add(Registration(conference=conference, category=conference.categories[0],
                                    name="Ada", email="ada@example.org"))
        db.session.commit()
        with pytest.raises(ProgrammeError, match="already has 1 registrations"):
            import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        assert count(Registration) == 1
