"""What the standard e-mail parser reads: the calendar in UTF-8, a subject without a stray
space, a date."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.mail.conftest import API
from tests.registration.conference_data import api_body


def _part(message, filename: str):
    return next(p for p in message.iter_attachments() if p.get_filename() == filename)


def test_the_calendar_attachment_reads_back_in_chinese(client, conference_slug, inbox):
    body = api_body(name="李明", language="zh", sessions=["forum"])
    assert client.post(API, json=body).status_code == 201
    message = email.message_from_bytes(inbox.raw[0], policy=email.policy.default)
    part = _part(message, "my-sessions.ics")
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "产业论坛"
    assert str(event["LOCATION"]) == "大厅, 合肥"  # room and venue, as in agenda.ics


def test_a_long_subject_reads_back_without_a_leading_space(client, demo, inbox):
    # 77 characters: too long to follow "Subject: " on one line, short enough for a line
    # of its own.
    assert client.post(API, json=api_body(language="en")).status_code == 201
    [message] = inbox.messages
    subject = "Your registration for 2024 Hefei Smart Sensor Industry Development Conference"
    assert message["Subject"] == subject


def test_every_message_is_dated(client, conference_slug, inbox):
    before = datetime.now(UTC).replace(microsecond=0)
    assert client.post(API, json=api_body()).status_code == 201
    [message] = inbox.messages
    sent = message["Date"].datetime
    assert before <= sent <= datetime.now(UTC) + timedelta(seconds=1)
