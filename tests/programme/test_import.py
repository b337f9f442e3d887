"""Loading a conference from a programme file: `seed-demo` and `import-programme`."""

from __future__ import annotations

from pathlib import Path

import pytest

from conference.extensions import db
from conference.models import Conference, Registration, Session
from conference.programme.importer import import_programme
from tests.conftest import DEMO

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
        for part in ("rooms", "tracks", "sessions", "speakers", "exhibitors"):
            assert len(getattr(conference, part)) == len(DEMO[part]), part
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
        (("  slug: tiny-conf", "  slug: " + "t" * 81), 2, "is longer than 80"),
        (("ends_on: 2025-05-01", "ends_on: 2025-02-30"), 6, "not a valid date or time"),
        (("speakers: [bob, ada]", "speakers: [bob, {ada: 1}]"), 32, "unknown speaker {'ada': 1}"),
        (("room: hall", "room: {hall: 1}"), 30, "unknown room {'hall': 1}"),
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


def test_reimport_once_people_have_registered_keeps_them(app):
    with app.app_context():
        conference = import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        db.session.add(Registration(conference=conference, category=conference.categories[0],
                                    name="Ada", email="ada@example.org"))
        db.session.commit()
        again = import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        assert again.id == conference.id
        assert count(Registration) == 1


QUESTIONS = """
questions:
  - code: diet
    kind: single
    label: {zh: 饮食, en: Diet}
    help: {en: Lunch is a buffet}
    required: true
    options:
      - code: none
        label: {zh: 无, en: None}
      - code: vegan
        label: Vegan
  - code: notes
    kind: text
    label: Notes
"""


def _with_questions(extra: str = QUESTIONS) -> str:
    return MINIMAL.read_text(encoding="utf-8") + extra


def test_questions_and_registration_windows_are_imported(app):
    text = _with_questions().replace(
        "    name: {zh: 代表, en: Delegate}\n",
        "    name: {zh: 代表, en: Delegate}\n"
        "    opens_at: 2025-03-01 10:00\n"
        "    closes_at: 2025-04-30 18:00\n",
    )
    with app.app_context():
        conference = import_programme(text, "q.yaml")
        diet, notes = conference.questions
        assert (diet.code, diet.kind, diet.required, diet.position) == ("diet", "single", True, 0)
        assert diet.t("label", "zh") == "饮食" and diet.t("help", "zh") == "Lunch is a buffet"
        assert diet.options == [
            {"code": "none", "label_zh": "无", "label_en": "None"},
            {"code": "vegan", "label_zh": "Vegan", "label_en": "Vegan"},
        ]
        assert (notes.kind, notes.required, notes.options) == ("text", False, [])
        # Berlin summer time is UTC+2: the window is stored in UTC.
        delegate = conference.categories[0]
        assert delegate.opens_at.isoformat() == "2025-03-01T09:00:00"  # still winter time
        assert delegate.closes_at.isoformat() == "2025-04-30T16:00:00"


def test_the_demo_asks_its_questions(app, demo):
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        kinds = {q.code: q.kind for q in conference.questions}
        assert kinds == {
            "dietary": "single",
            "interests": "multiple",
            "accessibility": "text",
            "news": "checkbox",
        }
        dietary = conference.questions[0]
        assert [o["code"] for o in dietary.options] == [
            "none", "vegetarian", "halal", "vegan", "other"
        ]
        interests = conference.questions[1]
        assert [o["code"] for o in interests.options] == [t.slug for t in conference.tracks]
        assert not any(q.required for q in conference.questions)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("    kind: single", "    kind: essay"), 36, "kind 'essay' is not one of"),
        (("  - code: notes", "  - code: diet"), 45, "question code 'diet' is used twice"),
        (("      - code: vegan", "      - code: none"), 43, "option code 'none' is used twice"),
        (("    kind: text", "    kind: text\n    options: []"), 47, "a text question takes no"),
        (("        label: Vegan", "        colour: green"), 43, "option is missing 'label'"),
        (("    required: true", "    required: maybe"), 39, "'required' must be true or false"),
        (("  - code: notes", "  - code: " + "n" * 41), 45, "longer than 40"),
        (("    label: Notes\n", ""), 45, "question is missing 'label'"),
    ],
)
def test_bad_questions_get_line_precise_errors(runner, app, tmp_path, change, line, message):
    text = _with_questions()
    assert change[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = runner.invoke(args=["import-programme", str(bad)])
    assert result.exit_code != 0
    assert f"bad.yaml:{line}:" in result.output, result.output
    assert message in result.output
    with app.app_context():
        assert count(Conference) == 0


def test_a_choice_question_needs_options(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(_with_questions().replace("""    required: true
    options:
      - code: none
        label: {zh: 无, en: None}
      - code: vegan
        label: Vegan
""", ""), encoding="utf-8")
    result = runner.invoke(args=["import-programme", str(bad)])
    assert "bad.yaml:35: a single question needs a list of options" in result.output


@pytest.mark.parametrize(
    ("window", "line", "message"),
    [
        ("    opens_at: soon\n", 12, "'opens_at' must be a local time like"),
        ("    opens_at: 2025-04-01 10:00\n    closes_at: 2025-03-01 10:00\n", 13,
         "registration closes before it opens"),
    ],
)
def test_bad_registration_windows_name_their_line(runner, tmp_path, window, line, message):
    bad = tmp_path / "bad.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    name: {zh: 代表, en: Delegate}\n", "    name: {zh: 代表, en: Delegate}\n" + window
    )
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import-programme", str(bad)])
    assert result.exit_code != 0
    assert f"bad.yaml:{line}: {message}" in result.output, result.output
