"""The schedule files stay valid against the c3voc schemas after organisers' edits: a new
room, speaker and session, a session moved and one cancelled while people hold it."""

from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
import pytest
from lxml import etree

from conference.programme import editing
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, session
from tests.programme.test_exports import (
    SPECS_DIR,
    _assert_valid_json,
    _assert_valid_xml,
    _events,
)


@pytest.fixture(scope="module")
def schemas() -> tuple[jsonschema.Draft6Validator, etree.XMLSchema]:
    schema = json.loads((SPECS_DIR / "schedule.schema.json").read_text(encoding="utf-8"))
    return (jsonschema.Draft6Validator(schema,
                                       format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER),
            etree.XMLSchema(etree.parse(str(SPECS_DIR / "schedule.xml.xsd"))))


@pytest.fixture
def edited(app, demo) -> str:
    with app.app_context():
        conf = conference(demo)
        hold_seats(conf, WORKSHOP, [("ann@example.org", "en")])
        room = editing.create(conf, "room", {"name_zh": "贵宾厅", "name_en": "VIP Hall"}).item
        speaker = editing.create(conf, "speaker", {"name_en": "Lin Xiao"}).item
        moved = session("talk-data-centre-sensing")
        editing.save_session(conf, moved, {"starts_at": moved.starts_at + timedelta(hours=2),
                                           "ends_at": moved.ends_at + timedelta(hours=2)},
                             allow_clash=True)
        editing.save_session(conf, None, {
            "title_en": "Sensing <in> the wild & more", "kind": "talk",
            "starts_at": moved.starts_at, "ends_at": moved.ends_at, "room_id": room.id,
            "speaker_ids": [speaker.id]})
        editing.cancel_session(session(WORKSHOP))
        editing.finish()
    return demo


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_edited_schedule_still_validates(client, edited, schemas, lang):
    json_validator, xml_schema = schemas
    document = client.get(f"/schedule.json?lang={lang}").get_json()
    _assert_valid_json(json_validator, document)
    titles = {event["title"]: event for event in _events(document)}
    assert "Sensing <in> the wild & more" in titles
    assert any(event["subtitle"] in ("Cancelled", "已取消") for event in titles.values())
    root = _assert_valid_xml(xml_schema, client.get(f"/schedule.xml?lang={lang}").data)
    assert ("VIP Hall" if lang == "en" else "贵宾厅") in {room.get("name")
                                                      for room in root.iter("room")}
