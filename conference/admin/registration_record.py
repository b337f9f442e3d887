"""Everything the back office knows about one registration, and what an organiser does to
it there: edit, cancel, send its mail again — each written to the audit log with the
change it describes.

The history is put together from what is stored anyway: the registration's own times, the
audit log's entries about it, every message the outbox holds for it and every scan of its
badge. Entries are (time, label, detail), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext

from .. import audit
from ..extensions import db
from ..mail.announcement import announcement_id
from ..mail.outbox import enqueue
from ..models import Announcement, OutboxMessage, Registration, Scan
from ..registration.lifecycle import cancel, update_details
from ..registration.validation import DetailsData, check_details
from .audit_log import entries_about
from .audit_words import kind_word

# The message of each status: what "send the mail again" sends.
STATUS_MAIL = {
    "confirmed": "confirmed",
    "pending": "pending",
    "waitlisted": "waitlisted",
    "cancelled": "cancelled",
    "rejected": "rejected",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    label: str
    detail: str = ""


def mails_of(registration: Registration) -> list[OutboxMessage]:
    return list(db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.id)
    ).scalars())


def scans_of(registration: Registration) -> list[Scan]:
    return list(db.session.execute(
        db.select(Scan).where(Scan.registration_id == registration.id).order_by(Scan.scanned_at, Scan.id)
    ).scalars())


def mail_subject(row: OutboxMessage) -> str:
    """What a message was about: its subject once composed, else its kind (an announcement
    by its subject in the recipient's language)."""
    if row.subject:
        return row.subject
    number = announcement_id(row.kind)
    announcement = db.session.get(Announcement, number) if number is not None else None
    if announcement is not None:
        return announcement.t("subject")
    return row.kind


def history(registration: Registration, mails: list[OutboxMessage], scans: list[Scan]) -> list[Event]:
    events = [Event(registration.created_at, gettext("Registered"), registration.source)]
    for entry in entries_about("registration", registration.id):
        changes = "; ".join(f"{field}: {before} → {after}"
                            for field, (before, after) in (entry.changes or {}).items())
        events.append(Event(entry.at, kind_word(entry.kind), f"{entry.actor} {changes}".strip()))
    for row in mails:
        events.append(Event(row.created_at, gettext("Mail queued"), f"{row.kind} ({row.status})"))
    for scan in scans:
        detail = f"{scan.kind} {scan.result} · {scan.gate or '-'}"
        if scan.annulled_at:
            detail += " · " + gettext("annulled")
        events.append(Event(scan.scanned_at, gettext("Scan"), detail))
    if registration.promoted_at:
        events.append(Event(registration.promoted_at, gettext("Moved up from the waiting list")))
    return sorted(events, key=lambda event: event.at)


def edit(registration: Registration, data: DetailsData) -> dict[str, list]:
    """Change the details by the rules of the manage page and commit, with an audit entry
    of the changed fields; the changes. Raises as ``update_details``."""
    values, _ = check_details(registration.conference, data)
    fields = ("name", "organisation", "job_title", "phone", "language")
    before = {field: getattr(registration, field) or "" for field in fields}
    after = {**{field: values[field] for field in fields[:4]}, "language": data.language}
    changes = audit.changed_fields(before, after)
    audit.record("registration.update", target=registration, summary=registration.name,
                 changes=changes)
    try:
        update_details(registration, data)
    except BaseException:
        db.session.rollback()
        raise
    return changes


def cancel_by_organiser(registration: Registration) -> bool:
    """Cancel, as the attendee could, with an audit entry; False when it had ended already.

    The entry is added before ``cancel``, which commits it with the cancellation or rolls
    it back with nothing done."""
    before = registration.status
    audit.record("registration.cancel", target=registration, summary=registration.name,
                 changes={"status": [before, "cancelled"]})
    cancel(registration)
    return before not in ("cancelled", "rejected")


def resend(registration: Registration) -> OutboxMessage | None:
    """Queue the message of the registration's status again (with the badge when confirmed)."""
    kind = STATUS_MAIL.get(registration.status)
    if kind is None or not registration.email:
        return None
    audit.record("registration.resend", target=registration, summary=f"{registration.name}: {kind}")
    return enqueue(registration, kind)
