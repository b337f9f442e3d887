"""Announcements by mail: each recipient's message, composed at delivery like every other
message about a registration, from the announcement and the registration as they are then.

Their outbox rows carry the kind ``announce:<announcement id>``, so queueing thousands is
a plain insert of rows, and the outbox counts each announcement's deliveries by kind.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale

from ..extensions import db
from ..models import Announcement, Conference, Registration
from .address import Undeliverable
from .compose import manage_url, new_message

PREFIX = "announce:"


def announcement_id(kind: str) -> int | None:
    """The announcement an outbox kind is about, or None for other kinds."""
    number = kind[len(PREFIX):] if kind.startswith(PREFIX) else ""
    return int(number) if number.isdigit() else None


def announcement_text(conference: Conference, announcement: Announcement,
                      registration: Registration) -> tuple[str, str]:
    """The subject and text ``registration`` gets, in its language."""
    lang = "zh" if registration.language == "zh" else "en"
    with force_locale(lang):
        body = render_template(
            "mail/announcement.txt", registration=registration, text=announcement.t("body", lang),
            conference_name=conference.t("name", lang), manage_url=manage_url(registration))
    return announcement.t("subject", lang), body


def compose_announcement(registration: Registration, kind: str) -> EmailMessage:
    announcement = db.session.get(Announcement, announcement_id(kind) or 0)
    if announcement is None:
        raise Undeliverable(f"announcement {kind} is gone")
    subject, body = announcement_text(registration.conference, announcement, registration)
    return new_message(subject, registration.name, registration.email or "", body)
