"""The clash rules as a table of cases, on the demo programme.

Times are Hefei time (UTC+8) in the cases; the demo runs on 19 September 2024. The
workshop-room holds "workshop-mems-calibration" 13:30–15:00 with guo-xinyi and
zheng-kaiwen; forum-a holds a talk by xu-mingxuan 13:30–14:15.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from conference.programme import clashes
from conference.programme.edit_errors import ClashRefused
from conference.programme.editing import save_session
from tests.programme.editing_data import conference, room, session, speaker

HEFEI = timedelta(hours=8)


def _utc(local: str) -> datetime:
    return datetime.fromisoformat(f"2024-09-19 {local}") - HEFEI if len(local) == 5 else \
        datetime.fromisoformat(local) - HEFEI


CASES = [
    # (what, start, end, room, speakers, capacity, clash reasons, warning reasons)
    ("same room, overlapping", "14:00", "14:30", "workshop-room", [], None, ["room"], []),
    ("same room, ending as the other starts", "12:45", "13:30", "workshop-room", [], None,
     [], []),
    ("same room, starting as the other ends", "15:00", "15:20", "workshop-room", [], None,
     [], []),
    ("same room, enclosing the other", "13:00", "15:10", "workshop-room", [], None,
     ["room"], []),
    ("other room, same speaker", "14:30", "15:10", "banquet-hall", ["zheng-kaiwen"], None,
     ["speaker"], []),
    ("other room, speaker free then", "17:30", "18:00", "lobby", ["zheng-kaiwen"], None,
     [], []),
    ("room and speaker at once", "13:45", "14:10", "forum-a", ["xu-mingxuan"], None,
     ["room", "speaker"], []),
    ("the day after the conference", "2024-09-20 10:00", "2024-09-20 11:00", "lobby", [],
     None, [], ["outside_days"]),
    ("more people than the room holds", "18:00", "19:00", "workshop-room", [], 41, [],
     ["over_room_capacity"]),
    ("as many people as the room holds", "18:00", "19:00", "workshop-room", [], 40, [], []),
]


@pytest.mark.parametrize(("start", "end", "room_slug", "speakers", "capacity", "refused",
                          "doubts"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_clash_rules(app, demo, start, end, room_slug, speakers, capacity, refused, doubts):
    with app.app_context():
        conf = conference(demo)
        starts_at, ends_at = _utc(start), _utc(end)
        found = clashes.clashes_of(conf, starts_at=starts_at, ends_at=ends_at,
                                   room_id=room(room_slug).id,
                                   speaker_ids=[speaker(s).id for s in speakers])
        assert sorted(c.reason for c in found) == refused
        warned = clashes.warnings_of(conf, starts_at=starts_at, ends_at=ends_at,
                                     room=room(room_slug), capacity=capacity)
        assert [w.reason for w in warned] == doubts


def test_a_clash_is_refused_naming_the_other_session_unless_allowed(app, demo):
    with app.app_context():
        conf = conference(demo)
        values = {"title_en": "Late addition", "kind": "talk", "starts_at": _utc("14:00"),
                  "ends_at": _utc("14:30"), "room_id": room("workshop-room").id,
                  "speaker_ids": []}
        with pytest.raises(ClashRefused) as refused:
            save_session(conf, None, values)
        [clash] = refused.value.clashes
        assert clash.session.slug == "workshop-mems-calibration"
        assert clash.as_dict() == {"session": "workshop-mems-calibration", "reason": "room"}
        assert "MEMS" in str(refused.value)
        outcome = save_session(conf, None, values, allow_clash=True)
        assert outcome.item.id is not None


def test_a_cancelled_session_clashes_with_nothing(app, demo):
    from conference.programme.editing import cancel_session

    with app.app_context():
        conf = conference(demo)
        cancel_session(session("workshop-mems-calibration"))
        assert clashes.clashes_of(conf, starts_at=_utc("14:00"), ends_at=_utc("14:30"),
                                  room_id=room("workshop-room").id, speaker_ids=[]) == []


def test_the_standing_clashes_of_the_demo_are_its_double_booked_speakers(app, demo):
    with app.app_context():
        standing = clashes.standing_clashes(conference(demo))
        found = {(c.first.slug, c.second.slug, c.reason, c.speaker.slug if c.speaker else None)
                 for c in standing}
        assert ("forum-new-energy-sensing", "workshop-mems-calibration", "speaker",
                "guo-xinyi") in found or \
               ("workshop-mems-calibration", "forum-new-energy-sensing", "speaker",
                "guo-xinyi") in found
        assert all(c.reason in ("room", "speaker") for c in standing)
