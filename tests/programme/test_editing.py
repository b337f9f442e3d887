"""The editing services: values checked whole, stale saves refused, every write audited."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session as OrmSession

from conference.extensions import db
from conference.models import AuditEntry, Room, Speaker, Track
from conference.programme import editing
from conference.programme.edit_errors import InUse, Invalid, Stale
from tests.programme.editing_data import conference, room, session


def test_a_new_room_gets_a_slug_from_its_name_and_an_audit_entry(app, demo):
    with app.app_context():
        outcome = editing.create(conference(demo), "room",
                                 {"name_zh": "贵宾室", "name_en": "VIP Lounge", "capacity": 20})
        editing.finish(outcome)
        assert outcome.item.slug == "vip-lounge"
        second = editing.create(conference(demo), "room", {"name_zh": "贵宾室"})
        assert second.item.slug == "gui-bin-shi"
        speaker = editing.create(conference(demo), "speaker",
                                 {"name_en": "Lin Xiao", "title_en": "Chief engineer"})
        assert speaker.item.slug == "lin-xiao"
        entry = db.session.execute(db.select(AuditEntry).where(
            AuditEntry.kind == "room.create")).scalars().first()
        assert entry.target_id == outcome.item.id
        assert entry.changes["capacity"] == [None, 20]


def test_bad_values_are_refused_whole_naming_each_field(app, demo):
    with app.app_context():
        main_hall = room("main-hall")
        with pytest.raises(Invalid) as refused:
            editing.update(main_hall, "room", {"name_zh": "", "name_en": "x" * 201,
                                               "capacity": 0, "location_en": "a\x00b"})
        assert set(refused.value.errors) == {"name_en", "capacity", "location_en"}
        db.session.rollback()
        assert room("main-hall").capacity == 600
        with pytest.raises(Invalid) as refused:
            editing.create(conference(demo), "track", {"name_en": "T", "colour": "red"})
        assert set(refused.value.errors) == {"colour"}


def test_a_session_ending_before_it_starts_or_in_an_unknown_room_is_refused(app, demo):
    workshop = "workshop-mems-calibration"
    with app.app_context():
        item = session(workshop)
        with pytest.raises(Invalid) as refused:
            editing.save_session(item.conference, item, {"ends_at": item.starts_at})
        assert set(refused.value.errors) == {"ends_at"}
        with pytest.raises(Invalid) as refused:
            editing.save_session(item.conference, item, {"room_id": 999_999})
        assert set(refused.value.errors) == {"room_id"}


def test_a_save_of_a_stale_form_is_refused_not_written_over_the_other(app, demo):
    with app.app_context():
        read_version = room("forum-a").version
        editing.finish(editing.update(room("forum-a"), "room", {"capacity": 140},
                                      read_version))
        with pytest.raises(Stale):
            editing.update(room("forum-a"), "room", {"capacity": 90}, read_version)
        db.session.rollback()
        assert room("forum-a").capacity == 140


def test_of_two_concurrent_saves_at_the_same_version_the_later_is_refused(app, demo):
    """Both read version 1 and pass the check; the row's UPDATE refuses the second."""
    with app.app_context():
        first = db.session.get(Room, room("forum-b").id)
        version = first.version
        with OrmSession(db.engine) as other:
            rival = other.get(Room, first.id)
            rival.capacity = 99
            rival.version = version + 1
            other.commit()
        with pytest.raises(Stale):
            editing.update(first, "room", {"capacity": 50}, version)
        assert room("forum-b").capacity == 99


def test_a_room_with_sessions_is_not_deleted_a_speaker_leaves_their_sessions(app, demo):
    with app.app_context():
        with pytest.raises(InUse):
            editing.delete(room("main-hall"), "room")
        speaker = db.session.execute(db.select(Speaker).limit(1)).scalar_one()
        held = [s.slug for s in speaker.sessions]
        editing.finish(editing.delete(speaker, "speaker"))
        assert all(speaker.slug not in [p.slug for p in session(slug).speakers] for slug in held)
        track = db.session.execute(db.select(Track).limit(1)).scalar_one()
        editing.finish(editing.delete(track, "track"))
        assert db.session.get(Track, track.id) is None
