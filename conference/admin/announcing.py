"""Sending an announcement: one message per recipient, in their language, queued in the
outbox with the announcement in one transaction (all of them or none), then delivered as
any other mail (inline when ``MAIL_SEND_INLINE``, else by ``flask send-mail``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_login import current_user

from .. import audit
from ..extensions import db
from ..mail.compose import manage_url
from ..mail.direct import queue_composed
from ..mail.outbox import send_queued
from ..models import Announcement, Conference, OutboxMessage, Registration
from .audiences import Recipients, recipients


@dataclass(frozen=True)
class Message:
    subject_zh: str
    subject_en: str
    body_zh: str
    body_en: str


def body_for(conference: Conference, message: Message, registration: Registration) -> tuple[str, str]:
    """The subject and text ``registration`` gets, in their language."""
    lang = "zh" if registration.language == "zh" else "en"
    subject = message.subject_zh if lang == "zh" else message.subject_en
    with force_locale(lang):
        body = render_template(
            "mail/announcement.txt", registration=registration,
            text=message.body_zh if lang == "zh" else message.body_en,
            conference_name=conference.t("name", lang), manage_url=manage_url(registration))
    return subject, body


def send_announcement(conference: Conference, message: Message, chosen: Recipients) -> Announcement:
    """Queue the announcement for every recipient and commit; the Announcement."""
    people = recipients(conference, chosen)
    announcement = Announcement(
        conference_id=conference.id, subject_zh=message.subject_zh, subject_en=message.subject_en,
        body_zh=message.body_zh, body_en=message.body_en, audience=chosen.audience,
        category_id=chosen.category_id, session_id=chosen.session_id, arrival=chosen.arrival,
        recipients=len(people), sent_by=_who())
    db.session.add(announcement)
    db.session.flush()
    rows = []
    for person in people:
        subject, body = body_for(conference, message, person)
        rows.append(queue_composed(announcement.outbox_kind(), person.email, person.name,
                                   subject, body, registration_id=person.id))
    audit.record("announcement.send", target=announcement,
                 summary=f"{message.subject_en} → {len(people)}",
                 changes={"audience": [None, chosen.audience], "arrival": [None, chosen.arrival]})
    db.session.commit()
    send_queued(rows)
    return announcement


def _who() -> str:
    return current_user.email if getattr(current_user, "is_authenticated", False) else "cli"


def sent_announcements(conference: Conference) -> list[tuple[Announcement, dict[str, int]]]:
    """The conference's announcements, newest first, each with its messages per outbox
    status (sent, pending, failed)."""
    announcements = list(db.session.execute(
        db.select(Announcement).where(Announcement.conference_id == conference.id)
        .order_by(Announcement.sent_at.desc(), Announcement.id.desc())
    ).scalars())
    kinds = [a.outbox_kind() for a in announcements]
    tally: dict[str, dict[str, int]] = {}
    if kinds:
        for kind, status, amount in db.session.execute(
            db.select(OutboxMessage.kind, OutboxMessage.status, db.func.count())
            .where(OutboxMessage.kind.in_(kinds)).group_by(OutboxMessage.kind, OutboxMessage.status)
        ):
            tally.setdefault(kind, {})[status] = amount
    return [(a, tally.get(a.outbox_kind(), {})) for a in announcements]
