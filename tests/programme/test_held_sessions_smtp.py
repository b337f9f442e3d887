"""A move and a cancellation reach a real SMTP server on loopback, each holder's mail in
their language, naming the session as it now stands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conference.programme import editing
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, room, session
from tests.smtp import body_of


@pytest.fixture
def app_config(smtp_port) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


def _by_recipient(inbox, subject_part: str) -> dict:
    return {message["To"].addresses[0].addr_spec: message for message in inbox.messages
            if subject_part in message["Subject"]}


def test_holders_get_the_move_and_the_cancellation_in_their_language(app, demo, inbox):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en"),
                                                ("bo@example.org", "zh")])
        item = session(WORKSHOP)
        editing.finish(editing.save_session(
            item.conference, item,
            {"starts_at": item.starts_at + timedelta(hours=4),
             "ends_at": item.ends_at + timedelta(hours=4), "room_id": room("forum-b").id},
            allow_clash=True))
        editing.finish(editing.cancel_session(session(WORKSHOP)))

    moved_en = _by_recipient(inbox, "has changed")["ann@example.org"]
    assert "17:30–19:00, Forum Room B" in body_of(moved_en)
    moved_zh = _by_recipient(inbox, "有变更")["bo@example.org"]
    assert "17:30–19:00，第二分论坛厅" in body_of(moved_zh)
    assert "更改了您预订场次的时间或会场" in body_of(moved_zh)

    cancelled_en = _by_recipient(inbox, "is cancelled")["ann@example.org"]
    assert "Workshop: hands-on MEMS pressure sensor calibration" in body_of(cancelled_en)
    assert "Your seat in it is released" in body_of(cancelled_en)
    cancelled_zh = _by_recipient(inbox, "已取消")["bo@example.org"]
    assert "取消了您预订的一个场次" in body_of(cancelled_zh)
