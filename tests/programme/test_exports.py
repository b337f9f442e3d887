"""Programme exports: /agenda.ics, /schedule.xml and /schedule.json.

The schedule documents are validated against the c3voc schemas vendored in
``tests/specs`` (EUPL 1.2; see its README).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar
from lxml import etree
from sqlalchemy import event

from conference.extensions import db
from conference.models import Conference
from conference.programme import exports, ical
from conference.programme.importer import import_programme
from conference.public.service import programme_sessions

# Asia/Shanghai is UTC+8 all year: 09:00 local is 01:00Z. The acronym has a '-' in the
# middle, which the schedule schema does not allow, and "qa" is shorter than its slugs.
EXPORT_YAML = """\
conference:
  slug: export-test
  acronym: export-test-24
  name: {zh: 导出测试大会, en: Export Test Conference}
  starts_on: 2024-09-19
  ends_on: 2024-09-20
  timezone: Asia/Shanghai
  venue: {zh: 合肥会展中心, en: Hefei Expo Centre}
categories:
  - code: delegate
    name: {zh: 代表, en: Delegate}
rooms:
  - slug: main-hall
    name: {zh: 主会场, en: Main Hall}
    location: {zh: 一楼, en: Ground floor}
  - slug: room-b
    name: {zh: B厅, en: Room B}
tracks:
  - slug: sensors
    name: {zh: 传感器, en: Sensors}
    colour: "#d9480f"
speakers:
  - slug: li-ming
    name: {zh: 李明, en: Li Ming}
    title: {zh: 教授, en: Professor}
    organisation: {zh: 中国科学技术大学, en: USTC}
sessions:
  - slug: opening
    title: {zh: 开幕式, en: Opening ceremony}
    abstract: {zh: 欢迎各位来宾。, en: "Welcome, guests."}
    kind: ceremony
    starts: 2024-09-19 09:00
    ends: 2024-09-19 09:30
    room: main-hall
    track: sensors
    speakers: [li-ming]
  - slug: mems-forum
    title: {zh: MEMS论坛, en: "MEMS <forum> & workshop"}
    abstract: {en: "R&D at <1 µm scale, \\"quoted\\" & 'single'"}
    kind: forum
    starts: 2024-09-19 14:00
    ends: 2024-09-19 15:30
    room: room-b
  - slug: qa
    title: {en: Questions and answers}
    kind: panel
    starts: 2024-09-20 10:00
    ends: 2024-09-20 11:00
    room: room-b
"""


SPECS_DIR = Path(__file__).resolve().parent.parent / "specs"


@pytest.fixture(scope="module")
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SPECS_DIR / "schedule.xml.xsd")))


@pytest.fixture(scope="module")
def json_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((SPECS_DIR / "schedule.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


@pytest.fixture
def programme(demo) -> str:
    """The demo conference; its slug."""
    return demo


@pytest.fixture
def export_test(app) -> str:
    with app.app_context():
        return import_programme(EXPORT_YAML, "export-test.yaml").slug


def _session_count(app, slug: str) -> int:
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        return len(conference.sessions)


def _events(document: dict) -> list[dict]:
    return [
        item
        for day in document["schedule"]["conference"]["days"]
        for items in day["rooms"].values()
        for item in items
    ]


def _assert_valid_json(validator: jsonschema.Draft6Validator, document: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, "\n".join(errors[:20])
    # Formats the Draft 6 checker leaves alone without optional packages.
    for item in _events(document):
        uuid.UUID(item["guid"])
        assert datetime.fromisoformat(item["date"]).tzinfo is not None
        assert item["url"].startswith("http://localhost/sessions/")
        for person in item["persons"]:
            uuid.UUID(person["guid"])


def _assert_valid_xml(schema: etree.XMLSchema, body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root


# Validation against the vendored schemas --------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_schedule_json_of_the_programme_validates(app, client, programme, json_validator, lang):
    response = client.get(f"/schedule.json?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    _assert_valid_json(json_validator, document)
    assert len(_events(document)) == _session_count(app, programme)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_schedule_xml_of_the_programme_validates(app, client, programme, xml_schema, lang):
    response = client.get(f"/schedule.xml?lang={lang}")
    assert response.status_code == 200
    assert response.content_type == "application/xml; charset=utf-8"
    root = _assert_valid_xml(xml_schema, response.data)
    assert len(root.findall("day/room/event")) == _session_count(app, programme)


def test_exports_with_awkward_acronym_and_slugs_validate(
    client, export_test, json_validator, xml_schema
):
    document = client.get("/schedule.json").get_json()
    _assert_valid_json(json_validator, document)
    root = _assert_valid_xml(xml_schema, client.get("/schedule.xml").data)
    assert document["schedule"]["conference"]["acronym"] == "export_test_24"
    assert root.findtext("conference/acronym") == "export_test_24"
    slugs = {item["slug"] for item in _events(document)}
    assert "export_test_24-opening" in slugs
    assert len(slugs) == 3


def test_the_validators_reject_a_broken_document(client, export_test, json_validator, xml_schema):
    document = client.get("/schedule.json").get_json()
    broken = copy.deepcopy(document)
    del broken["schedule"]["conference"]["acronym"]
    _events(broken)[0]["start"] = "9 o'clock"
    assert len(list(json_validator.iter_errors(broken))) == 2

    root = etree.fromstring(client.get("/schedule.xml").data)
    root.find("day/room/event/duration").text = "half an hour"
    assert not xml_schema.validate(root)


# Content of the schedule documents --------------------------------------------------------

def test_schedule_json_has_local_times_rooms_and_speakers(client, export_test):
    document = client.get("/schedule.json").get_json()
    info = document["schedule"]["conference"]
    assert info["title"] == "Export Test Conference"
    assert info["time_zone_name"] == "Asia/Shanghai"
    assert [day["date"] for day in info["days"]] == ["2024-09-19", "2024-09-20"]
    assert [room["name"] for room in info["rooms"]] == ["Main Hall", "Room B"]

    opening = info["days"][0]["rooms"]["Main Hall"][0]
    assert opening["title"] == "Opening ceremony"
    assert opening["date"] == "2024-09-19T09:00:00+08:00"
    assert opening["start"] == "09:00"
    assert opening["duration"] == "00:30"
    assert opening["room"] == "Main Hall"
    assert opening["track"] == "Sensors"
    assert opening["type"] == "ceremony"
    assert opening["language"] == "en"
    assert opening["abstract"] == "Welcome, guests."
    assert opening["url"] == "http://localhost/sessions/opening"
    assert [p["name"] for p in opening["persons"]] == ["Li Ming"]
    assert "Professor, USTC" in opening["description"]
    assert info["days"][0]["rooms"]["Room B"][0]["duration"] == "01:30"
    assert info["days"][1]["rooms"]["Main Hall"] == []


def test_schedule_in_chinese_on_request(client, export_test):
    document = client.get("/schedule.json?lang=zh").get_json()
    info = document["schedule"]["conference"]
    assert info["title"] == "导出测试大会"
    opening = info["days"][0]["rooms"]["主会场"][0]
    assert opening["title"] == "开幕式"
    assert opening["language"] == "zh"
    assert opening["persons"][0]["name"] == "李明"
    # A session without a Chinese title keeps its English one, and says so.
    qa = info["days"][1]["rooms"]["B厅"][0]
    assert (qa["title"], qa["language"]) == ("Questions and answers", "en")

    root = etree.fromstring(client.get("/schedule.xml?lang=zh").data)
    assert root.findtext("conference/title") == "导出测试大会"
    assert "开幕式" in [e.findtext("title") for e in root.iter("event")]


def test_schedule_is_english_unless_asked(client, export_test):
    headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
    document = client.get("/schedule.json", headers=headers).get_json()
    assert document["schedule"]["conference"]["title"] == "Export Test Conference"


def test_xml_escapes_markup_in_titles_and_abstracts(client, export_test, xml_schema):
    body = client.get("/schedule.xml").data
    assert b"MEMS &lt;forum&gt; &amp; workshop" in body
    assert b"<forum>" not in body
    root = _assert_valid_xml(xml_schema, body)
    forum = next(e for e in root.iter("event") if e.findtext("slug").endswith("mems-forum"))
    assert forum.findtext("title") == "MEMS <forum> & workshop"
    assert forum.findtext("abstract") == "R&D at <1 µm scale, \"quoted\" & 'single'"

    document = client.get("/schedule.json").get_json()
    titles = {item["title"] for item in _events(document)}
    assert "MEMS <forum> & workshop" in titles


def test_guids_stay_the_same_after_a_reimport(app, client, export_test):
    first = client.get("/schedule.json").get_json()
    with app.app_context():
        import_programme(EXPORT_YAML, "export-test.yaml")
    second = client.get("/schedule.json").get_json()

    def guids(document):
        return {(item["slug"], item["guid"]) for item in _events(document)}

    assert guids(first) == guids(second)
    persons = [p["guid"] for item in _events(second) for p in item["persons"]]
    assert persons == [str(uuid.uuid5(uuid.NAMESPACE_URL, "conference:export-test:speaker:li-ming"))]


def test_schedule_answers_not_modified_to_a_repeated_poll(client, export_test):
    first = client.get("/schedule.xml")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/schedule.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_exports_load_the_programme_in_a_fixed_number_of_queries(app, export_test):
    statements: list[str] = []
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == export_test)
        ).scalar_one()

        def listener(connection, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            sessions = programme_sessions(conference)
            links = exports.ScheduleLinks("http://localhost/", lambda s: "http://localhost/s",
                                          lambda s: "http://localhost/p")
            exports.schedule_xml(conference, sessions, "en", links)
            ical.agenda_ics(conference, sessions, "en", lambda s: "http://localhost/s")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    # sessions (+ rooms and tracks joined), their speakers, the conference's rooms and tracks
    assert len(statements) <= 4, statements


# iCalendar --------------------------------------------------------------------------------

def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def test_agenda_ics_has_one_event_per_session_in_utc(app, client, export_test):
    calendar = _calendar(client.get("/agenda.ics?lang=en"))
    assert str(calendar["X-WR-CALNAME"]) == "Export Test Conference"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(item["UID"]): item for item in calendar.walk("VEVENT")}
    assert set(events) == {"opening@export-test", "mems-forum@export-test", "qa@export-test"}

    opening = events["opening@export-test"]
    assert opening.decoded("DTSTART") == datetime(2024, 9, 19, 1, 0, tzinfo=UTC)
    assert opening.decoded("DTEND") == datetime(2024, 9, 19, 1, 30, tzinfo=UTC)
    assert b"DTSTART:20240919T010000Z" in client.get("/agenda.ics").data
    assert str(opening["SUMMARY"]) == "Opening ceremony"
    assert str(opening["LOCATION"]) == "Main Hall, Ground floor, Hefei Expo Centre"
    assert str(opening["URL"]) == "http://localhost/sessions/opening"
    assert "Welcome, guests." in str(opening["DESCRIPTION"])
    assert "Li Ming — Professor, USTC" in str(opening["DESCRIPTION"])
    assert b"CATEGORIES:Sensors" in opening.to_ical()
    assert "DTSTAMP" in opening
    assert _session_count(app, export_test) == len(events)


def test_agenda_ics_of_the_programme_parses(app, client, programme):
    calendar = _calendar(client.get("/agenda.ics"))
    assert len(calendar.walk("VEVENT")) == _session_count(app, programme)


def test_agenda_ics_in_chinese(client, export_test):
    calendar = _calendar(client.get("/agenda.ics?lang=zh"))
    assert str(calendar["X-WR-CALNAME"]) == "导出测试大会"
    summaries = {str(item["SUMMARY"]) for item in calendar.walk("VEVENT")}
    assert summaries == {"开幕式", "MEMS论坛", "Questions and answers"}
    opening = next(i for i in calendar.walk("VEVENT") if str(i["UID"]).startswith("opening@"))
    assert str(opening["LOCATION"]) == "主会场, 一楼, 合肥会展中心"
    assert "李明 — 教授, 中国科学技术大学" in str(opening["DESCRIPTION"])


def test_agenda_ics_exports_only_the_chosen_sessions(client, export_test):
    calendar = _calendar(client.get("/agenda.ics?session=qa&session=opening"))
    assert sorted(str(item["UID"]) for item in calendar.walk("VEVENT")) == [
        "opening@export-test", "qa@export-test",
    ]


def test_agenda_ics_with_an_unknown_session_is_not_found(client, export_test):
    response = client.get("/agenda.ics?session=opening&session=no-such-talk")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "no-such-talk" in response.get_data(as_text=True)


def test_agenda_ics_escapes_commas_and_markup(client, export_test):
    raw = client.get("/agenda.ics").data.decode()
    assert "SUMMARY:MEMS <forum> & workshop" in raw
    assert "DESCRIPTION:R&D at <1 µm scale\\, " in raw.replace("\r\n ", "")


def test_exports_without_a_conference_are_not_found(client):
    for path in ("/agenda.ics", "/schedule.xml", "/schedule.json"):
        assert client.get(path).status_code == 404
