"""Sending an announcement: one outbox row per recipient, queued with the announcement in
one transaction (all of them or none) as a plain insert; each message is composed in its
recipient's language when it is delivered (``conference.mail.announcement``).

Delivery: with ``MAIL_SEND_INLINE`` a few messages go from the request itself, more from a
thread of the web process, so the organiser's page answers at once; without it,
``flask send-mail`` sends them as any other mail.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app
from flask_login import current_user

from .. import audit
from ..deployment import sends_mail_inline
from ..extensions import db
from ..mail.outbox import deliver, send_queued
from ..models import Announcement, Conference, OutboxMessage
from ..models.base import utcnow
from .audiences import Recipients, recipient_addresses

# Messages sent from the request that queued them; more are left to a thread.
INLINE_AT_MOST = 20


def send_announcement(conference: Conference, announcement: Announcement,
                      chosen: Recipients) -> Announcement:
    """Queue ``announcement`` (not yet stored) for every recipient and commit."""
    people = recipient_addresses(conference, chosen)
    announcement.conference_id = conference.id
    announcement.audience, announcement.arrival = chosen.audience, chosen.arrival
    announcement.category_id, announcement.session_id = chosen.category_id, chosen.session_id
    announcement.recipients = len(people)
    announcement.sent_by = current_user.email if getattr(current_user, "is_authenticated", False) else "cli"
    db.session.add(announcement)
    db.session.flush()
    kind, now = announcement.outbox_kind(), utcnow()
    if people:
        db.session.execute(db.insert(OutboxMessage), [
            {"registration_id": registration_id, "kind": kind, "recipient": email, "status": "pending",
             "attempts": 0, "next_attempt_at": now, "created_at": now}
            for registration_id, email in people])
    audit.record("announcement.send", target=announcement,
                 summary=f"{announcement.subject_en} → {len(people)}",
                 changes={"audience": [None, chosen.audience], "arrival": [None, chosen.arrival]})
    db.session.commit()
    _deliver(kind, len(people))
    return announcement


def _pending(kind: str) -> list[OutboxMessage]:
    return list(db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id)).scalars())


def _deliver(kind: str, count: int) -> None:
    if not sends_mail_inline(current_app) or not count:
        return
    if count <= INLINE_AT_MOST:
        send_queued(_pending(kind))
        return
    threading.Thread(target=_deliver_in_app, args=(current_app._get_current_object(), kind),
                     daemon=True, name=kind).start()


def _deliver_in_app(app: Flask, kind: str) -> None:
    """Send an announcement's messages one by one; what fails stays for ``send-mail``."""
    with app.test_request_context("/"):  # templates and locale need a request context
        for row in _pending(kind):
            try:
                deliver(row)
            except Exception:
                db.session.rollback()
                app.logger.exception("mail %s could not be delivered", row.id)
        db.session.remove()


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
